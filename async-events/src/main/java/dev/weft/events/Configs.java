package dev.weft.events;

import java.util.List;
import java.util.regex.Pattern;

import dev.weft.config.Problems;

/** The name rules shared by this module's configuration records and subscriptions, as checks into {@link Problems}. */
public final class Configs {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private Configs() {}

    /** Records a problem unless {@code value} is a plain SQL identifier (letters, digits, {@code _}, 1-63 chars). */
    public static void identifier(String path, String value, Problems problems) {
        problems.matches(path, value, IDENTIFIER, "1 to 63 letters, digits or '_', not starting with a digit");
    }

    /** Records a problem unless {@code value} is a usable RabbitMQ name part (letters, digits, {@code . _ -}). */
    public static void name(String path, String value, Problems problems) {
        problems.matches(path, value, NAME, "1 to 200 letters, digits, '.', '_' or '-'");
    }

    /** Throws a {@code ConfigException} unless the group name is usable and at least one type pattern is given. */
    public static void subscription(String group, List<String> typePatterns) {
        Problems problems = new Problems();
        name("group", group, problems);
        if (typePatterns == null || typePatterns.isEmpty()) {
            problems.add("typePatterns", "must name at least one pattern, was " + typePatterns);
        }
        problems.throwIfAny();
    }

    /**
     * The path of {@code key} under the section at {@code path}: {@code events.outbox} and {@code lease} give
     * {@code events.outbox.lease}; an empty path (a record read from the root) gives the key alone.
     */
    public static String join(String path, String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
    }
}
