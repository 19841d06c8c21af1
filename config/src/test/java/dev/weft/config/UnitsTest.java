package dev.weft.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class UnitsTest {
    static Stream<List<Object>> durations() {
        return Stream.of(
                List.of("10s", Duration.ofSeconds(10)),
                List.of("500ms", Duration.ofMillis(500)),
                List.of("2m", Duration.ofMinutes(2)),
                List.of("1h30m", Duration.ofMinutes(90)),
                List.of("1.5h", Duration.ofMinutes(90)),
                List.of("250us", Duration.ofNanos(250_000)),
                List.of("7ns", Duration.ofNanos(7)),
                List.of("0", Duration.ZERO),
                List.of("-1s", Duration.ofSeconds(-1)),
                List.of(" 3s ", Duration.ofSeconds(3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durations")
    void readsDurations(List<Object> c) {
        assertEquals(c.get(1), Units.duration((String) c.get(0)));
    }

    static Stream<List<String>> badDurations() {
        return Stream.of(
                List.of("10", "missing unit"),
                List.of("ten", "not a duration"),
                List.of("10 s", "unknown unit \" s\""),
                List.of("5d", "unknown unit \"d\""),
                List.of("1..2s", "not a duration"),
                List.of("", "not a duration"),
                List.of("-", "not a duration"),
                List.of("999999999h", "too large"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDurations")
    void rejectsBadDurations(List<String> c) {
        String m = assertThrows(IllegalArgumentException.class, () -> Units.duration(c.get(0))).getMessage();
        assertTrue(m.startsWith(c.get(1)), m);
    }

    @Test
    void formatsDurationsTheWayFilesWriteThemAndBack() {
        for (String s : List.of("0s", "7ns", "250us", "1.5ms", "500ms", "1.25s", "10s", "2m", "1h30m", "1h0m5s"
                .replace("0m", ""), "-3s")) {
            assertEquals(s, Units.format(Units.duration(s)));
        }
        assertEquals("1h30m", Units.format(Duration.ofMinutes(90)));
    }

    static Stream<List<Object>> sizes() {
        return Stream.of(
                List.of("512", 512L),
                List.of("512B", 512L),
                List.of("16KiB", 16_384L),
                List.of("10MiB", 10_485_760L),
                List.of("1 GiB", 1_073_741_824L),
                List.of("2kb", 2_000L),
                List.of("3MB", 3_000_000L),
                List.of("1TiB", 1L << 40));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sizes")
    void readsSizes(List<Object> c) {
        assertEquals(c.get(1), Units.size((String) c.get(0)));
    }

    @Test
    void rejectsBadSizes() {
        for (String s : List.of("", "KiB", "1.5MiB", "-1", "10 bits", "99999999999TiB")) {
            assertThrows(IllegalArgumentException.class, () -> Units.size(s), s);
        }
    }
}
