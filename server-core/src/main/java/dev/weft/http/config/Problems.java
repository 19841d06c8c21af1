package dev.weft.http.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.weft.http.ConfigException;

/**
 * The problems found while validating one configuration record, each as {@code field: what is wrong}. A record's
 * {@code validate()} runs every check, so that one error reports everything at once, and returns {@link #list()}.
 * The checks here are the ones every record needs, so that each message reads the same in every module.
 */
public final class Problems {
    private final List<String> problems = new ArrayList<>();

    /** Records a problem found by a check of the record's own, already phrased as {@code field: what is wrong}. */
    public void add(String problem) {
        problems.add(problem);
    }

    /** {@code value} must be set and longer than zero. */
    public void positive(String field, Duration value) {
        if (value == null) {
            problems.add(field + ": must be set");
        } else if (value.isNegative() || value.isZero()) {
            problems.add(field + ": must be positive, was " + value);
        }
    }

    /** {@code value} must be set and not negative (zero typically turns something off). */
    public void notNegative(String field, Duration value) {
        if (value == null) {
            problems.add(field + ": must be set");
        } else if (value.isNegative()) {
            problems.add(field + ": must not be negative, was " + value);
        }
    }

    /** {@code value} must not be negative. */
    public void notNegative(String field, long value) {
        if (value < 0) {
            problems.add(field + ": must not be negative, was " + value);
        }
    }

    /** {@code value} must be {@code min} or more. */
    public void atLeast(String field, long value, long min) {
        if (value < min) {
            problems.add(field + ": must be at least " + min + ", was " + value);
        }
    }

    /** {@code value} must lie in {@code [min, max]}. */
    public void between(String field, long value, long min, long max) {
        if (value < min || value > max) {
            problems.add(field + ": must be between " + min + " and " + max + ", was " + value);
        }
    }

    /** {@code value} must be set and match {@code pattern}, which {@code description} puts in words. */
    public void matches(String field, String value, Pattern pattern, String description) {
        if (value == null || !pattern.matcher(value).matches()) {
            problems.add(field + ": must be " + description + ", was "
                    + (value == null ? "null" : "\"" + value + "\""));
        }
    }

    /** The file at {@code path} must exist and be readable. */
    public void readable(String field, Path path) {
        if (!Files.isReadable(path)) {
            problems.add(field + ": file " + path + " does not exist or is not readable");
        }
    }

    /** Every problem recorded, in the order found; empty if there were none. */
    public List<String> list() {
        return List.copyOf(problems);
    }

    /**
     * Throws a {@link ConfigException} listing {@code problems} (a {@code validate()} result) if there are any: the
     * body of every record's {@code requireValid()}.
     */
    public static void throwIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
