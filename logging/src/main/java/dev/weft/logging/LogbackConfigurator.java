package dev.weft.logging;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashCommonFieldNames;
import net.logstash.logback.fieldnames.LogstashFieldNames;

/**
 * Configures Logback for a Weft process the moment Logback starts, so that every service logs the same way without a
 * {@code logback.xml} of its own. Logback finds it through its {@link Configurator} service
 * ({@code META-INF/services/ch.qos.logback.classic.spi.Configurator}) and runs it before looking for files.
 *
 * <p>One appender writes every event to standard error, as Go's {@code log} package and slf4j-simple do; the
 * platform (journald, Docker, Kubernetes) collects it. Two environment variables choose the rest:
 * <ul>
 *   <li>{@value #FORMAT_VARIABLE}: {@code text} (the default), one readable line per event ({@link TextLayout}):
 *       time in UTC, level, logger, the MDC in brackets when it has anything (the request id), message, and the
 *       stack trace on the lines after; or {@code json}, one JSON object per line written by logstash-logback-encoder,
 *       the layout log pipelines (Logstash, Fluent Bit, Vector, Loki) read as they are: {@code @timestamp},
 *       {@code level}, {@code logger_name}, {@code thread_name}, {@code message}, each MDC entry as a field of its
 *       own ({@code request_id}), and {@code stack_trace}, the exception and its causes as one string.</li>
 *   <li>{@value #LEVEL_VARIABLE}: the levels, as Rust's {@code RUST_LOG}: a level for the root logger and
 *       {@code logger=level} pairs, separated by commas ({@code info,com.zaxxer.hikari=warn}). INFO by
 *       default.</li>
 * </ul>
 * A value it cannot use is named on standard error, in one line, and the default applies: logging still works.
 *
 * <p>A configuration of the user's own wins: with {@code -Dlogback.configurationFile}, or a {@code logback.xml} or
 * {@code logback-test.xml} on the class path, this configurator does nothing and Logback reads that file.
 *
 * <p>Why in code: start-up counts (the skeleton aims at a few hundred milliseconds from exec to the first answer),
 * and Logback's XML configuration loads an XML parser and its model classes first, about 280 ms in this module's
 * start-up benchmark; this sets up the same appender directly. No periodic rescan is installed; Logback's own
 * warnings and errors go to standard error ({@link StatusWarnings}).
 */
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {
    /** The environment variable that chooses the format: {@code text} or {@code json}. */
    public static final String FORMAT_VARIABLE = "WEFT_LOG_FORMAT";
    /** The environment variable that sets levels: {@code info,com.zaxxer.hikari=warn}. */
    public static final String LEVEL_VARIABLE = "WEFT_LOG_LEVEL";
    /** The name of the one appender, for tests and for code that adds a filter to it. */
    public static final String APPENDER = "weft";

    /** What the two variables can say. */
    enum Format {
        TEXT, JSON
    }

    private final Map<String, String> env;
    private final Map<Object, Object> properties;
    private final ClassLoader classLoader;
    private final PrintStream problems;

    /** The configurator Logback's service loader creates: the process's environment and system properties. */
    public LogbackConfigurator() {
        this(System.getenv(), System.getProperties(), LogbackConfigurator.class.getClassLoader(), System.err);
    }

    LogbackConfigurator(Map<String, String> env, Map<Object, Object> properties, ClassLoader classLoader,
                        PrintStream problems) {
        this.env = env;
        this.properties = properties;
        this.classLoader = classLoader;
        this.problems = problems;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (userConfiguration()) {
            addInfo("a Logback configuration file was given: Weft's configuration steps aside");
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        StatusWarnings.install(context, problems);
        List<String> found = new ArrayList<>();
        Format format = format(env.get(FORMAT_VARIABLE), found);
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setTarget("System.err");
        appender.setEncoder(format == Format.JSON ? jsonEncoder(context) : textEncoder(context));
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(appender);
        levels(context, env.get(LEVEL_VARIABLE), found);
        for (String problem : found) {
            problems.println("weft-logging: " + problem);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private boolean userConfiguration() {
        return properties.get("logback.configurationFile") != null
                || classLoader.getResource("logback-test.xml") != null
                || classLoader.getResource("logback.xml") != null;
    }

    static Format format(String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            return Format.TEXT;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> Format.TEXT;
            case "json" -> Format.JSON;
            default -> {
                problems.add(FORMAT_VARIABLE + ": must be text or json, was \"" + value + "\"; logging as text");
                yield Format.TEXT;
            }
        };
    }

    /** Applies {@code info,com.zaxxer.hikari=warn}: a bare level is the root's, {@code name=level} one logger's. */
    static void levels(LoggerContext context, String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            return;
        }
        for (String item : value.split(",")) {
            String entry = item.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String logger = eq < 0 ? org.slf4j.Logger.ROOT_LOGGER_NAME : entry.substring(0, eq).trim();
            String name = eq < 0 ? entry : entry.substring(eq + 1).trim();
            Level level = Level.toLevel(name, null);
            if (level == null || logger.isEmpty()) {
                problems.add(LEVEL_VARIABLE + ": \"" + entry + "\" is not a level (trace, debug, info, warn, error,"
                        + " off) or logger=level; ignored");
                continue;
            }
            context.getLogger(logger).setLevel(level);
        }
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        TextLayout layout = new TextLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        LogstashFieldNames names = encoder.getFieldNames();
        // Constants on every line that say nothing: the format's version and the level again as a number.
        names.setVersion(LogstashCommonFieldNames.IGNORE_FIELD_INDICATOR);
        names.setLevelValue(LogstashCommonFieldNames.IGNORE_FIELD_INDICATOR);
        // Jackson modules would only serialise structured arguments; looking them up scans the class path.
        encoder.setFindAndRegisterJacksonModules(false);
        encoder.start();
        return encoder;
    }
}
