package dev.weft.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The problems found in a configuration, each as {@code path: what is wrong, was value (origin)}.
 *
 * <p>Every configuration record validates itself into one of these with {@code validate(String path, Problems)},
 * so that one run reports everything wrong at once. The checks here are the ones records share, so that a message
 * reads the same in every module: "must be ..., was ...". A {@code Problems} taken from a {@link ConfigTree} appends
 * where each setting's value came from ({@code weft.yaml:12:9}, {@code WEFT_DB_URL}, {@code -Dweft.db.url}); one
 * made with {@link #Problems()}, for a record built in code, has no origins to give.
 *
 * <p>Not thread-safe: configuration is read and checked on one thread, then the records are shared.
 */
public final class Problems {
    private final List<String> problems = new ArrayList<>();
    private final Function<String, String> originOf;

    /** A collector for a record built in code: problems carry no origin. */
    public Problems() {
        this(path -> null);
    }

    Problems(Function<String, String> originOf) {
        this.originOf = originOf;
    }

    /**
     * Validates {@code record} under {@code path} and throws a {@link ConfigException} listing every problem, if
     * any: what a module's entry point calls on a configuration it was handed.
     *
     * <pre>{@code Problems.requireValid("db", config, DbPoolConfig::validate);}</pre>
     */
    public static <T> T requireValid(String path, T record, Validation<T> validation) {
        Problems problems = new Problems();
        validation.validate(record, path, problems);
        problems.throwIfAny();
        return record;
    }

    /** A record's {@code validate(String path, Problems)}, as a method reference. */
    @FunctionalInterface
    public interface Validation<T> {
        void validate(T record, String path, Problems problems);
    }

    /** Records that the setting at {@code path} is wrong: {@code message} says how ("must be ..., was ..."). */
    public void add(String path, String message) {
        path = relative(path);
        String origin = originOf.apply(path);
        problems.add(path + ": " + message + (origin == null ? "" : " (" + origin + ")"));
    }

    /**
     * Records that the setting at {@code path} is wrong in relation to the one at {@code otherPath}: the origin of
     * each that was set is given, since the one to change may be either.
     */
    public void add(String path, String otherPath, String message) {
        path = relative(path);
        otherPath = relative(otherPath);
        String origin = originOf.apply(path);
        String otherOrigin = originOf.apply(otherPath);
        List<String> where = new ArrayList<>(2);
        if (origin != null) {
            where.add(origin);
        }
        if (otherOrigin != null) {
            where.add(otherPath + " " + (otherOrigin.startsWith("from ") ? otherOrigin : "at " + otherOrigin));
        }
        problems.add(path + ": " + message + (where.isEmpty() ? "" : " (" + String.join("; ", where) + ")"));
    }

    /** Records a problem that belongs to no single setting (a file that cannot be read, a syntax error). */
    void addRaw(String problem) {
        problems.add(problem);
    }

    /** {@code value} must be set. */
    public void required(String path, Object value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            add(path, "must be set");
        }
    }

    /** {@code value} must be set and longer than zero. */
    public void positive(String path, Duration value) {
        if (value == null) {
            add(path, "must be set");
        } else if (value.isNegative() || value.isZero()) {
            add(path, "must be positive, was " + Units.format(value));
        }
    }

    /** {@code value} must be set and not negative (zero typically turns something off). */
    public void notNegative(String path, Duration value) {
        if (value == null) {
            add(path, "must be set");
        } else if (value.isNegative()) {
            add(path, "must not be negative, was " + Units.format(value));
        }
    }

    /** {@code value} must be set and at least {@code min}. */
    public void atLeast(String path, Duration value, Duration min) {
        if (value == null) {
            add(path, "must be set");
        } else if (value.compareTo(min) < 0) {
            add(path, "must be at least " + Units.format(min) + ", was " + Units.format(value));
        }
    }

    /** {@code value} must be set, and zero (off) or at least {@code min}. */
    public void zeroOrAtLeast(String path, Duration value, Duration min) {
        if (value == null) {
            add(path, "must be set (0 turns it off)");
        } else if (!value.isZero() && value.compareTo(min) < 0) {
            add(path, "must be 0 (off) or at least " + Units.format(min) + ", was " + Units.format(value));
        }
    }

    /** {@code value} must be shorter than {@code other}, the setting at {@code otherPath}; unset values are skipped. */
    public void shorterThan(String path, Duration value, String otherPath, Duration other) {
        if (value != null && other != null && value.compareTo(other) >= 0) {
            add(path, otherPath, "must be shorter than " + otherPath + " (" + Units.format(other) + "), was "
                    + Units.format(value));
        }
    }

    /** {@code value} must not be longer than {@code other}, the setting at {@code otherPath}; unset values are skipped. */
    public void notLongerThan(String path, Duration value, String otherPath, Duration other) {
        if (value != null && other != null && value.compareTo(other) > 0) {
            add(path, otherPath, "must not be longer than " + otherPath + " (" + Units.format(other) + "), was "
                    + Units.format(value));
        }
    }

    /** {@code value} must not be negative. */
    public void notNegative(String path, long value) {
        if (value < 0) {
            add(path, "must not be negative, was " + value);
        }
    }

    /** {@code value} must be {@code min} or more. */
    public void atLeast(String path, long value, long min) {
        if (value < min) {
            add(path, "must be at least " + min + ", was " + value);
        }
    }

    /** {@code value} must lie in {@code [min, max]}. */
    public void between(String path, long value, long min, long max) {
        if (value < min || value > max) {
            add(path, "must be between " + min + " and " + max + ", was " + value);
        }
    }

    /** {@code value} must lie in {@code [min, max]}; NaN never does. */
    public void between(String path, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            add(path, "must be between " + plain(min) + " and " + plain(max) + ", was " + plain(value));
        }
    }

    /** {@code value} must be a port, 1 to 65535. */
    public void port(String path, int value) {
        between(path, value, 1, 65535);
    }

    /**
     * Each of {@code values}, the list at {@code path}, must be {@code host:port} with a port from 1 to 65535. A bad
     * item is named by its index under the list's path, which has the list's origin.
     */
    public void hostPorts(String path, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (!isHostPort(values.get(i))) {
                add(path, "must be a list of host:port with ports from 1 to 65535, was "
                        + (values.get(i) == null ? "null" : "\"" + values.get(i) + "\"") + " at index " + i);
            }
        }
    }

    /** {@code value} must be set and match {@code pattern}, which {@code description} puts in words. */
    public void matches(String path, String value, Pattern pattern, String description) {
        if (value == null || !pattern.matcher(value).matches()) {
            add(path, "must be " + description + ", was " + (value == null ? "not set" : "\"" + value + "\""));
        }
    }

    /** The file at {@code file} must exist and be readable. */
    public void readable(String path, Path file) {
        if (file != null && !Files.isReadable(file)) {
            add(path, "must name a readable file, was " + file + " (missing or not readable)");
        }
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** How many problems there are so far. */
    int count() {
        return problems.size();
    }

    /** Every problem recorded, in the order found; empty if there were none. */
    public List<String> list() {
        return List.copyOf(problems);
    }

    /** Throws a {@link ConfigException} listing every problem, if there is any. */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /**
     * A record validated at the root of a tree gets the path {@code ""}, and its checks name {@code "" + ".ttl"}:
     * that is the setting {@code ttl}.
     */
    private static String relative(String path) {
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private static boolean isHostPort(String hostPort) {
        int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            return port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String plain(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
