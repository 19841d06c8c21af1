package dev.weft.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The {@code Date} header line ({@code Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n}, RFC 9110 IMF-fixdate), formatted
 * at most once per second and shared by every connection: a response only reads a volatile field.
 */
final class DateHeader {
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    private record Line(long second, byte[] bytes) {}

    private static volatile Line current = new Line(Long.MIN_VALUE, null);

    private DateHeader() {}

    /** The header line for the current second, CRLF included. */
    static byte[] line() {
        long second = System.currentTimeMillis() / 1000;
        Line l = current;
        if (l.second != second) {
            l = new Line(second, format(second));
            current = l;
        }
        return l.bytes;
    }

    static byte[] format(long epochSecond) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(37).append("Date: ")
                .append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
        two(sb, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ')
                .append(t.getYear()).append(' ');
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond()).append(" GMT\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
