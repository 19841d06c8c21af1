package dev.weft.http;

import java.nio.charset.StandardCharsets;

/**
 * The {@code Date} header line ({@code Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n}, RFC 9110 IMF-fixdate), formatted
 * at most once per second and shared by every connection: a response only reads a volatile field.
 *
 * <p>The calendar arithmetic is done here (days to a civil date, as in Howard Hinnant's {@code civil_from_days})
 * rather than with {@code java.time}: the first response of a service then loads no date-time classes.
 */
final class DateHeader {
    private static final byte[] DAYS = OutputBuffer.ascii("MonTueWedThuFriSatSun");
    private static final byte[] MONTHS = OutputBuffer.ascii("JanFebMarAprMayJunJulAugSepOctNovDec");

    private record Line(long second, byte[] bytes, String value) {}

    private static volatile Line current = new Line(Long.MIN_VALUE, null, null);

    private DateHeader() {}

    /** The header line for the current second, CRLF included. */
    static byte[] line() {
        return now().bytes;
    }

    /** The field value for the current second, for HTTP/2's field blocks. */
    static String value() {
        return now().value;
    }

    private static Line now() {
        long second = System.currentTimeMillis() / 1000;
        Line l = current;
        if (l.second != second) {
            byte[] bytes = format(second);
            l = new Line(second, bytes, new String(bytes, 6, bytes.length - 8, StandardCharsets.ISO_8859_1));
            current = l;
        }
        return l;
    }

    /** The header line for {@code epochSecond}, a time from year 0 to 9999. */
    static byte[] format(long epochSecond) {
        long days = Math.floorDiv(epochSecond, 86_400L);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        // civil_from_days: eras of 400 years starting on 1 March, so that the leap day ends a year
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        int weekday = (int) Math.floorMod(days + 3, 7); // 1970-01-01 was a Thursday; Monday is 0

        byte[] b = OutputBuffer.ascii("Date: Mon, 00 Jan 0000 00:00:00 GMT\r\n");
        System.arraycopy(DAYS, weekday * 3, b, 6, 3);
        two(b, 11, day);
        System.arraycopy(MONTHS, (month - 1) * 3, b, 14, 3);
        two(b, 18, year / 100);
        two(b, 20, year % 100);
        two(b, 23, secondOfDay / 3600);
        two(b, 26, secondOfDay / 60 % 60);
        two(b, 29, secondOfDay % 60);
        return b;
    }

    private static void two(byte[] b, int at, int v) {
        b[at] = (byte) ('0' + v / 10);
        b[at + 1] = (byte) ('0' + v % 10);
    }
}
