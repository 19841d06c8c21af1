package dev.weft.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** The human units of configuration files: durations ({@code 10s}) and sizes ({@code 16KiB}). */
public final class Units {
    private Units() {}

    private static final Map<String, Long> DURATION_UNITS = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "µs", 1_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    private static final Map<String, Long> SIZE_UNITS = Map.of(
            "b", 1L,
            "kib", 1L << 10,
            "mib", 1L << 20,
            "gib", 1L << 30,
            "tib", 1L << 40,
            "kb", 1_000L,
            "mb", 1_000_000L,
            "gb", 1_000_000_000L,
            "tb", 1_000_000_000_000L);

    public static final String DURATION_HINT = "use a number and a unit (ns, us, ms, s, m, h), like 500ms, 10s, 2m or 1h30m";
    public static final String SIZE_HINT = "use a whole number of bytes with an optional unit (B, KiB, MiB, GiB, TiB, or "
            + "KB, MB, GB, TB for powers of 1000), like 512, 16KiB or 10MiB";

    /**
     * Parses a duration in Go's {@code time.ParseDuration} syntax: a sequence of decimal numbers, each with a
     * unit, optionally signed: {@code 10s}, {@code 1.5h}, {@code 1h30m}, {@code 250ms}; a bare {@code 0} is zero.
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static Duration duration(String text) {
        String s = text.strip();
        if (s.equals("0") || s.equals("+0") || s.equals("-0")) {
            return Duration.ZERO;
        }
        int i = 0;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            i++;
        }
        if (i == s.length()) {
            throw new IllegalArgumentException("not a duration: " + DURATION_HINT);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw new IllegalArgumentException("not a duration: " + DURATION_HINT);
            }
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("missing unit: " + DURATION_HINT);
            }
            Long unitNanos = DURATION_UNITS.get(unit);
            if (unitNanos == null) {
                throw new IllegalArgumentException("unknown unit \"" + unit + "\": " + DURATION_HINT);
            }
            nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos)));
        }
        BigDecimal whole = nanos.setScale(0, RoundingMode.DOWN);
        if (whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("too large: at most about 292 years");
        }
        long n = whole.longValueExact();
        return Duration.ofNanos(negative ? -n : n);
    }

    /**
     * Parses a size in bytes: a whole number with an optional unit, case-insensitive, optionally separated by a
     * space: {@code 512}, {@code 512B}, {@code 16KiB}, {@code 10 MiB}, {@code 1GB}.
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static long size(String text) {
        String s = text.strip();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("not a size: " + SIZE_HINT);
        }
        String unit = s.substring(i).strip().toLowerCase(Locale.ROOT);
        Long factor = unit.isEmpty() ? Long.valueOf(1) : SIZE_UNITS.get(unit);
        if (factor == null) {
            throw new IllegalArgumentException("unknown unit \"" + s.substring(i).strip() + "\": " + SIZE_HINT);
        }
        try {
            return Math.multiplyExact(Long.parseLong(s.substring(0, i)), factor);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("too large");
        }
    }

    /**
     * Writes a duration the way a configuration file would: {@code 500ms}, {@code 10s}, {@code 1h30m},
     * {@code 1.5ms}; the inverse of {@link #duration}, so that a message's "was" reads like the file.
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.isNegative()) {
            return "-" + format(d.negated());
        }
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException e) {
            return d.toHours() + "h";
        }
        if (nanos % 1_000_000_000L != 0) { // below a second: the largest unit that keeps it whole, or a decimal
            if (nanos < 1_000L) {
                return nanos + "ns";
            }
            if (nanos < 1_000_000L) {
                return decimal(nanos, 1_000L) + "us";
            }
            if (nanos < 1_000_000_000L) {
                return decimal(nanos, 1_000_000L) + "ms";
            }
            return decimal(nanos, 1_000_000_000L) + "s";
        }
        long seconds = nanos / 1_000_000_000L;
        StringBuilder out = new StringBuilder();
        if (seconds >= 3600) {
            out.append(seconds / 3600).append('h');
            seconds %= 3600;
        }
        if (seconds >= 60) {
            out.append(seconds / 60).append('m');
            seconds %= 60;
        }
        if (seconds > 0) {
            out.append(seconds).append('s');
        }
        return out.toString();
    }

    private static String decimal(long value, long unit) {
        return BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros().toPlainString();
    }
}
