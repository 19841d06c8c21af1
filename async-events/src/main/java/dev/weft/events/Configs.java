package dev.weft.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.weft.http.ConfigException;

/** Checks shared by this module's configuration records. */
public final class Configs {
    private Configs() {}

    /** Adds a problem unless {@code value} is a positive duration. */
    public static void positive(String field, Duration value, List<String> problems) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(field + ": must be a positive duration, got " + value);
        }
    }

    /** Adds a problem unless {@code value} is a plain SQL identifier (letters, digits, {@code _}, 1-63 chars). */
    public static void identifier(String field, String value, List<String> problems) {
        if (value == null || !value.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            problems.add(field + ": must be 1 to 63 letters, digits or '_', not starting with a digit, got " + value);
        }
    }

    /** Throws {@link ConfigException} unless the group name is usable and at least one type pattern is given. */
    public static void subscription(String group, List<String> typePatterns) {
        List<String> problems = new ArrayList<>();
        name("group", group, problems);
        if (typePatterns == null || typePatterns.isEmpty()) {
            problems.add("typePatterns: at least one pattern is required");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** Adds a problem unless {@code value} is a usable RabbitMQ name part (letters, digits, {@code . _ -}). */
    public static void name(String field, String value, List<String> problems) {
        if (value == null || !value.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,199}")) {
            problems.add(field + ": must be 1 to 200 letters, digits, '.', '_' or '-', got " + value);
        }
    }
}
