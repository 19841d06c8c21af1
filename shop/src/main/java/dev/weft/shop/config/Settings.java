package dev.weft.shop.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads from one section of a configuration tree (as {@code ConfigFile} parses it: maps, lists, strings,
 * numbers, booleans), collecting every problem with its field path instead of stopping at the first.
 *
 * <p>Values may arrive as strings (environment variables override the file), so numbers, booleans and durations
 * are accepted in either form. A key that nothing reads is a problem too ({@link #unknownKeys}): a typo in a
 * configuration file must not silently fall back to a default.
 */
public final class Settings {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final String path;
    private final Map<String, ?> values;
    private final List<String> problems;
    private final Set<String> read = new HashSet<>();
    private final List<Settings> children = new ArrayList<>();

    private Settings(String path, Map<String, ?> values, List<String> problems) {
        this.path = path;
        this.values = values == null ? Map.of() : values;
        this.problems = problems;
    }

    /** The root of a tree; an absent tree reads as empty, so that every value is its default. */
    public static Settings root(Map<String, ?> tree) {
        return new Settings("", tree, new ArrayList<>());
    }

    /** The sub-section {@code key}; empty when absent. */
    public Settings section(String key) {
        Object v = take(key);
        Map<String, ?> map = null;
        if (v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, ?> typed = (Map<String, ?>) m;
            map = typed;
        } else if (v != null) {
            problem(key, "must be a section (a map of settings), was " + v);
        }
        Settings child = new Settings(path + key + ".", map, problems);
        children.add(child);
        return child;
    }

    public boolean has(String key) {
        return values.get(key) != null;
    }

    public String string(String key, String fallback) {
        Object v = take(key);
        return v == null ? fallback : v.toString();
    }

    public int integer(String key, int fallback, int min, int max) {
        Object v = take(key);
        if (v == null) {
            return fallback;
        }
        try {
            long n = v instanceof Number num && !(v instanceof Double || v instanceof Float)
                    ? num.longValue() : Long.parseLong(v.toString().trim());
            if (n >= min && n <= max) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(key, "must be an integer from " + min + " to " + max + ", was " + v);
        return fallback;
    }

    /** A duration: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT10S}). */
    public Duration duration(String key, Duration fallback) {
        Object v = take(key);
        if (v == null) {
            return fallback;
        }
        String text = v.toString().trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            problem(key, "must be a duration such as 250ms, 10s, 5m or 1h, was " + v);
            return fallback;
        }
    }

    /** One of {@code choices} (case-insensitive), returned in its canonical spelling. */
    public String choice(String key, String fallback, List<String> choices) {
        Object v = take(key);
        if (v == null) {
            return fallback;
        }
        for (String c : choices) {
            if (c.equalsIgnoreCase(v.toString().trim())) {
                return c;
            }
        }
        problem(key, "must be one of " + String.join(", ", choices) + ", was " + v);
        return fallback;
    }

    /** A list of strings, given as a list or as one comma-separated string. */
    public List<String> strings(String key, List<String> fallback) {
        Object v = take(key);
        if (v == null) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            list.forEach(item -> out.add(String.valueOf(item).trim()));
        } else {
            for (String part : v.toString().split(",")) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /** Records a problem with {@code key} of this section, such as a value a module's validation refused. */
    public void problem(String key, String message) {
        problems.add(path + key + ": " + message);
    }

    /** Records problems that already carry their own field path (a module's validate()). */
    public void problems(List<String> found) {
        problems.addAll(found);
    }

    /** Reports, for this section and every section read from it, each key that no setting read. */
    public void unknownKeys() {
        for (String key : values.keySet()) {
            if (!read.contains(key)) {
                problems.add(path + key + ": is not a known setting");
            }
        }
        children.forEach(Settings::unknownKeys);
    }

    /** Every problem found so far in the whole tree. */
    public List<String> allProblems() {
        return List.copyOf(problems);
    }

    private Object take(String key) {
        read.add(key);
        return values.get(key);
    }
}
