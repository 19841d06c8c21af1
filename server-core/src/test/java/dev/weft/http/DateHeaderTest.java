package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

class DateHeaderTest {
    /** IMF-fixdate (RFC 9110 section 5.6.7), as java.time writes it. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static String expected(long epochSecond) {
        return "Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond)) + "\r\n";
    }

    private static String actual(long epochSecond) {
        return new String(DateHeader.format(epochSecond), StandardCharsets.US_ASCII);
    }

    @Test
    void formatsTheRfcExampleAndTheEdgesOfTheCalendar() {
        assertEquals("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n", actual(784_111_777L));
        for (String instant : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2000-02-29T12:00:00Z",
            "2000-03-01T00:00:00Z", "1900-02-28T23:59:59Z", "1900-03-01T00:00:00Z", "2024-02-29T23:59:59Z",
            "2100-03-01T00:00:00Z", "2026-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"}) {
            long s = Instant.parse(instant).getEpochSecond();
            assertEquals(expected(s), actual(s), instant);
        }
    }

    @Test
    void agreesWithJavaTimeOnEveryDayOfFourCenturies() {
        long from = Instant.parse("1800-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2200-01-01T00:00:00Z").getEpochSecond();
        Random random = new Random(42);
        for (long day = from; day < to; day += 86_400L) {
            long s = day + random.nextInt(86_400);
            assertEquals(expected(s), actual(s));
        }
    }
}
