package dev.weft.http.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One mapping of a {@link ConfigFile}, such as {@code server} or {@code server.tls}, read through typed
 * accessors.
 *
 * <p>Each accessor takes the key and the default to return when the setting is absent (from both the file and
 * the environment; a JSON {@code null} or an empty YAML value is absent too). The environment variable for the
 * setting ({@link ConfigFile#envName}) wins over the file. A value that cannot be read as asked is recorded as a
 * problem in the file, naming the setting's path, the value and where it came from, and the default is returned
 * so that reading goes on and every problem is found in one pass.
 *
 * <p>Formats: durations in Go's syntax ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h30m}); sizes as bytes
 * with an optional binary or decimal unit ({@code 512}, {@code 16KiB}, {@code 10MiB}, {@code 1GB}); integers in
 * decimal; decimal numbers as {@link BigDecimal} reads them ({@code 0.5}, {@code 2.5e3}); booleans {@code true}
 * or {@code false} (any case); enums by constant name (any case, {@code -} for {@code _}); lists as YAML/JSON
 * lists, or comma-separated in an environment variable.
 */
public final class ConfigSection {
    private final ConfigFile file;
    private final String path;
    private final Map<String, Object> map;
    private final Set<String> childSections = new LinkedHashSet<>();

    ConfigSection(ConfigFile file, String path, Map<String, Object> map) {
        this.file = file;
        this.path = path;
        this.map = map;
    }

    /** The dotted path of this section: {@code server.tls}; empty for the root. */
    public String path() {
        return path;
    }

    /** The file this section belongs to, which collects the problems. */
    public ConfigFile file() {
        return file;
    }

    /**
     * The mapping under {@code key}; empty when absent. A value there that is not a mapping is a problem.
     */
    @SuppressWarnings("unchecked")
    public ConfigSection section(String key) {
        childSections.add(key);
        String childPath = pathOf(key);
        Object v = map.get(key);
        if (v instanceof Map<?, ?> m) {
            return new ConfigSection(file, childPath, (Map<String, Object>) m);
        }
        if (v != null) {
            file.problem(childPath + ": must be a mapping of settings, was " + describe(v) + " ("
                    + file.location(childPath) + ")");
        }
        return new ConfigSection(file, childPath, new LinkedHashMap<>());
    }

    /** The keys present in the file under this section, in file order; settings set only by environment excluded. */
    public Set<String> keys() {
        return new LinkedHashSet<>(map.keySet());
    }

    /** True when the setting {@code key} is given, in the file or the environment. */
    public boolean has(String key) {
        return raw(key) != null;
    }

    public String string(String key, String defaultValue) {
        Raw r = raw(key);
        if (r == null) {
            return defaultValue;
        }
        if (r.value instanceof String s) {
            return s;
        }
        if (r.value instanceof Long || r.value instanceof BigDecimal || r.value instanceof Boolean) {
            return String.valueOf(r.value);
        }
        return wrong(r, "must be a string", defaultValue);
    }

    public int integer(String key, int defaultValue) {
        Raw r = raw(key);
        if (r == null) {
            return defaultValue;
        }
        Long v = whole(r.value);
        if (v == null || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            return wrong(r, v == null ? "must be an integer" : "must be an integer that fits 32 bits", defaultValue);
        }
        return v.intValue();
    }

    public long longValue(String key, long defaultValue) {
        Raw r = raw(key);
        if (r == null) {
            return defaultValue;
        }
        Long v = whole(r.value);
        return v == null ? wrong(r, "must be an integer", defaultValue) : v;
    }

    /**
     * A decimal number such as {@code 0.5}, {@code 50} or {@code 2.5e3}. Written as Java's {@link BigDecimal} reads
     * it, so {@code NaN}, {@code Infinity} and suffixes such as {@code 1d} are problems rather than values.
     */
    public double decimal(String key, double defaultValue) {
        Raw r = raw(key);
        if (r == null) {
            return defaultValue;
        }
        if (r.value instanceof Long n) {
            return n;
        }
        if (r.value instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (r.value instanceof String s) {
            try {
                return new BigDecimal(s.strip()).doubleValue();
            } catch (NumberFormatException e) {
                return wrong(r, "must be a decimal number", defaultValue);
            }
        }
        return wrong(r, "must be a decimal number", defaultValue);
    }

    public boolean bool(String key, boolean defaultValue) {
        Raw r = raw(key);
        if (r == null) {
            return defaultValue;
        }
        if (r.value instanceof Boolean b) {
            return b;
        }
        if (r.value instanceof String s) {
            String v = s.strip();
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return v.equalsIgnoreCase("true");
            }
        }
        return wrong(r, "must be true or false", defaultValue);
    }

    public Duration duration(String key, Duration defaultValue) {
        Raw r = raw(key);
        if (r == null) {
            return defaultValue;
        }
        if (!(r.value instanceof String s)) {
            return wrong(r, "must be a duration with a unit: " + Units.DURATION_HINT, defaultValue);
        }
        try {
            return Units.duration(s);
        } catch (IllegalArgumentException e) {
            return wrong(r, e.getMessage(), defaultValue);
        }
    }

    /** A size in bytes. */
    public long size(String key, long defaultValue) {
        Raw r = raw(key);
        if (r == null) {
            return defaultValue;
        }
        if (r.value instanceof Long n) {
            return n;
        }
        if (!(r.value instanceof String s)) {
            return wrong(r, "must be a size: " + Units.SIZE_HINT, defaultValue);
        }
        try {
            return Units.size(s);
        } catch (IllegalArgumentException e) {
            return wrong(r, e.getMessage(), defaultValue);
        }
    }

    /** A size in bytes that must fit an {@code int} (under 2 GiB). */
    public int intSize(String key, int defaultValue) {
        long v = size(key, defaultValue);
        if (v > Integer.MAX_VALUE) {
            return wrong(raw(key), "must be less than 2GiB", defaultValue);
        }
        return (int) v;
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        Raw r = raw(key);
        if (r == null) {
            return defaultValue;
        }
        E[] constants = type.getEnumConstants();
        if (r.value instanceof String s) {
            String wanted = s.strip().replace('-', '_');
            for (E e : constants) {
                if (e.name().equalsIgnoreCase(wanted)) {
                    return e;
                }
            }
        }
        // Named the way configuration files spell them: lower case, words joined by hyphens.
        List<String> names = Arrays.stream(constants)
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
        return wrong(r, "must be one of " + String.join(", ", names), defaultValue);
    }

    /** A list of strings; from the environment, comma-separated with blanks around items dropped. */
    public List<String> strings(String key, List<String> defaultValue) {
        Raw r = raw(key);
        if (r == null) {
            return defaultValue;
        }
        if (r.fromEnv) {
            String s = ((String) r.value).strip();
            return s.isEmpty() ? List.of() : Arrays.stream(s.split(",")).map(String::strip).toList();
        }
        if (r.value instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object item : list) {
                if (item instanceof Map<?, ?> || item instanceof List<?> || item == null) {
                    return wrong(r, "must be a list of strings", defaultValue);
                }
                out.add(String.valueOf(item));
            }
            return List.copyOf(out);
        }
        return wrong(r, "must be a list", defaultValue);
    }

    /**
     * Records a problem for each key in this section, and each environment variable under its prefix, that is not
     * one of {@code known}: a misspelt setting must not be silently ignored. Variables under a known key that was
     * read as a {@link #section} are left to that section's own check.
     */
    public void rejectUnknownKeys(Collection<String> known) {
        String knownList = String.join(", ", known);
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                String p = pathOf(key);
                file.problem(p + ": unknown setting (" + file.location(p) + "); known settings: " + knownList);
            }
        }
        if (path.isEmpty()) {
            return; // WEFT_* variables at the top level belong to whichever sections the application reads
        }
        String prefix = ConfigFile.envName(path) + "_";
        Set<String> exact = new TreeSet<>();
        List<String> nested = new ArrayList<>();
        for (String k : known) {
            String name = ConfigFile.envName(pathOf(k));
            exact.add(name);
            if (childSections.contains(k)) {
                nested.add(name + "_");
            }
        }
        for (String name : new TreeSet<>(file.env().keySet())) {
            if (name.startsWith(prefix) && !exact.contains(name) && nested.stream().noneMatch(name::startsWith)) {
                file.problem(name + ": environment variable for an unknown setting under " + path
                        + "; known settings: " + knownList);
            }
        }
    }

    private String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** A setting's value and where it came from. */
    private record Raw(String path, Object value, String origin, boolean fromEnv) {}

    private Raw raw(String key) {
        String p = pathOf(key);
        String envName = ConfigFile.envName(p);
        String fromEnv = file.env().get(envName);
        if (fromEnv != null) {
            file.recordOrigin(p, "from " + envName);
            return new Raw(p, fromEnv, "from " + envName, true);
        }
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        String origin = file.location(p);
        file.recordOrigin(p, origin);
        return new Raw(p, v, origin, false);
    }

    private <T> T wrong(Raw r, String what, T defaultValue) {
        file.problem(r.path + ": " + what + ", was " + describe(r.value) + " (" + r.origin + ")");
        return defaultValue;
    }

    private static Long whole(Object v) {
        if (v instanceof Long n) {
            return n;
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String describe(Object v) {
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        return String.valueOf(v);
    }
}
