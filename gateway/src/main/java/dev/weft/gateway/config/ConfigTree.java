package dev.weft.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one section of a configuration tree (the {@code Map<String,Object>} that server-core's {@code ConfigFile}
 * produces from YAML or JSON) and records every problem with its full path instead of stopping at the first.
 *
 * <p>Scalars are accepted as the parser gives them: a number may arrive as a {@link Number} or as text, a duration
 * as {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h} or a bare number of milliseconds.
 */
public final class ConfigTree {
    private final Map<String, Object> map;
    private final String path;
    private final List<String> problems;

    private ConfigTree(Map<String, Object> map, String path, List<String> problems) {
        this.map = map == null ? Map.of() : map;
        this.path = path;
        this.problems = problems;
    }

    /** The root of {@code tree}; problems are appended to {@code problems}. */
    public static ConfigTree root(Map<String, Object> tree, String path, List<String> problems) {
        return new ConfigTree(tree, path, problems);
    }

    public String path() {
        return path;
    }

    public String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public void problem(String key, String message) {
        problems.add(pathOf(key) + ": " + message);
    }

    public boolean has(String key) {
        return map.get(key) != null;
    }

    public String string(String key, String fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Map || v instanceof List) {
            problem(key, "must be a single value");
            return fallback;
        }
        return v.toString();
    }

    public int integer(String key, int fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            problem(key, "must be an integer, got '" + v + "'");
            return fallback;
        }
    }

    public double number(String key, double fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            problem(key, "must be a number, got '" + v + "'");
            return fallback;
        }
    }

    public boolean bool(String key, boolean fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        problem(key, "must be true or false, got '" + v + "'");
        return fallback;
    }

    public Duration duration(String key, Duration fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        Duration d = parseDuration(v.toString());
        if (d == null) {
            problem(key, "must be a duration such as 250ms, 5s, 2m or 1h, got '" + v + "'");
            return fallback;
        }
        return d;
    }

    /** Parses {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, or a bare number of milliseconds; null if invalid. */
    public static Duration parseDuration(String text) {
        String s = text.trim();
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
            }
            if (s.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1).trim()) * 1000));
            }
            if (s.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1).trim()));
            }
            if (s.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1).trim()));
            }
            return Duration.ofMillis(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A list of scalars as text; a single scalar counts as a list of one. */
    public List<String> strings(String key) {
        Object v = map.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                Object item = list.get(i);
                if (item == null || item instanceof Map || item instanceof List) {
                    problems.add(pathOf(key) + "[" + i + "]: must be a single value");
                } else {
                    out.add(item.toString());
                }
            }
            return out;
        }
        if (v instanceof Map) {
            problem(key, "must be a list");
            return List.of();
        }
        return List.of(v.toString());
    }

    /** A nested section; an absent one reads as empty, so every field takes its default. */
    public ConfigTree child(String key) {
        Object v = map.get(key);
        if (v != null && !(v instanceof Map)) {
            problem(key, "must be a section (a map)");
            return new ConfigTree(Map.of(), pathOf(key), problems);
        }
        return new ConfigTree(asMap(v), pathOf(key), problems);
    }

    /** The keys of this section, in order. */
    public List<String> keys() {
        return List.copyOf(map.keySet());
    }

    /** A mapping of scalar values, such as subjects to API keys. */
    public Map<String, String> stringMap(String key) {
        ConfigTree c = child(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : c.keys()) {
            out.put(k, c.string(k, ""));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object v) {
        if (v == null) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<Object, Object>) v).forEach((k, val) -> out.put(String.valueOf(k), val));
        return out;
    }
}
