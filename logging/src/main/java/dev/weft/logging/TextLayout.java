package dev.weft.logging;

import java.time.ZoneOffset;
import java.util.Map;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.util.CachingDateFormatter;

/**
 * The text format, one line per event, then the stack trace if there is one:
 * <pre>
 * 2026-12-06T01:35:14.593Z INFO  dev.weft.http.access [request_id=3f2a9c0d5e6b7a8c] - 127.0.0.1 "GET /x HTTP/1.1" 200 2 95us
 * </pre>
 * The time in UTC to the millisecond (as the JSON format's, and without loading the time-zone database), the level
 * padded to five, the logger, the MDC in brackets when it holds anything, the message.
 *
 * <p>The same as the {@code PatternLayout} pattern
 * {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z', UTC} %-5level %logger%replace( [%X]){' \[\]', ''} - %msg%n}, written out as
 * Logback's own {@code TTLLLayout} is: {@code PatternLayout}'s first use builds its whole table of converters,
 * some seventy classes and a lambda for each, about 170 ms of a process's start-up in this module's benchmark (see
 * the README).
 */
final class TextLayout extends LayoutBase<ILoggingEvent> {
    private final CachingDateFormatter time =
            new CachingDateFormatter("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", ZoneOffset.UTC);
    private final ThrowableProxyConverter stackTrace = new ThrowableProxyConverter();

    @Override
    public void start() {
        stackTrace.setContext(getContext());
        stackTrace.start();
        super.start();
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160);
        line.append(time.format(event.getTimeStamp())).append(' ');
        String level = event.getLevel().levelStr;
        line.append(level);
        for (int i = level.length(); i < 6; i++) {
            line.append(' ');
        }
        line.append(event.getLoggerName());
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null && !mdc.isEmpty()) {
            line.append(" [");
            boolean first = true;
            for (Map.Entry<String, String> e : mdc.entrySet()) {
                if (!first) {
                    line.append(", ");
                }
                first = false;
                line.append(e.getKey()).append('=').append(e.getValue());
            }
            line.append(']');
        }
        line.append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        if (event.getThrowableProxy() != null) {
            line.append(stackTrace.convert(event));
        }
        return line.toString();
    }
}
