package dev.weft.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One mapping of a {@link ConfigTree}, such as {@code server} or {@code gateway.routes[0]}, read through typed
 * accessors.
 *
 * <p>Each accessor takes the key and the default to return when the setting is absent from the file and the
 * overrides (a YAML {@code null} or empty value is absent too). A value that cannot be read as asked is a problem
 * of the tree, naming the setting's path, the value and where it came from, and the default is returned, so that
 * reading goes on and every problem is found in one pass. Every key asked for counts as known: the tree reports
 * the keys nobody asked for.
 *
 * <p>Formats: durations in Go's syntax ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h30m}); sizes as bytes with
 * an optional binary or decimal unit ({@code 512}, {@code 16KiB}, {@code 10MiB}, {@code 1GB}); integers in decimal;
 * decimal numbers as {@link BigDecimal} reads them ({@code 0.5}, {@code 2.5e3}); booleans {@code true} or
 * {@code false}; enums by constant name, any case, {@code -} for {@code _} ({@code least-outstanding}); lists as
 * YAML or JSON lists, or comma-separated in an environment variable or property.
 */
public final class ConfigSection {
    private final ConfigTree tree;
    private final String path;
    private final String name;
    private final Map<String, Node> map;
    private final boolean inFile;

    ConfigSection(ConfigTree tree, String path, String name, Map<String, Node> map) {
        this(tree, path, name, map, true);
    }

    private ConfigSection(ConfigTree tree, String path, String name, Map<String, Node> map, boolean inFile) {
        this.tree = tree;
        this.path = path;
        this.name = name;
        this.map = map;
        this.inFile = inFile;
    }

    /** The path of this section, as problems name it: {@code gateway.routes[0]}; empty for the root. */
    public String path() {
        return path;
    }

    /** This section's key in its parent ({@code products} for {@code cache.caches.products}); its index in a list. */
    public String name() {
        return name;
    }

    /** Where problems go; a validation problem gets the origin of the setting it names. */
    public Problems problems() {
        return tree.problems();
    }

    /**
     * True when the file has this section (even empty: {@code db:} alone) or an environment variable or system
     * property sets something under it: what "the module's section is present" means.
     */
    public boolean isPresent() {
        return inFile || tree.overridden(path);
    }

    /** True when the setting {@code key} is given, in the file (not null) or by an override; it counts as read. */
    public boolean has(String key) {
        return tree.lookup(path, key, map.get(key), "any", null) != null;
    }

    /** The keys this section has in the file, in file order; settings given only by overrides are not listed. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(map.keySet()));
    }

    /** The mapping under {@code key}; empty when absent. A value there that is not a mapping is a problem. */
    public ConfigSection section(String key) {
        String childPath = ConfigTree.join(path, key);
        tree.markRead(path, key);
        tree.markSection(childPath);
        Node v = map.get(key);
        if (v != null && v.isMap()) {
            return new ConfigSection(tree, childPath, key, v.map(), true);
        }
        if (v != null && v.value() != null) {
            tree.origin(childPath, v.origin());
            tree.problems().add(childPath, "must be a mapping of settings, was " + Node.describe(v.value()));
        }
        return new ConfigSection(tree, childPath, key, Map.of(), map.containsKey(key));
    }

    /** Every mapping under this section, one per key in the file, for sections of named entries (upstreams, caches). */
    public List<ConfigSection> children() {
        List<ConfigSection> out = new ArrayList<>();
        for (String key : map.keySet()) {
            out.add(section(key));
        }
        return out;
    }

    /**
     * The list of mappings under {@code key} ({@code gateway.routes}), each a section named by its index; empty when
     * absent. A value that is not a list of mappings is a problem. Overrides can change the settings of the entries
     * the file has ({@code WEFT_GATEWAY_ROUTES_0_RETRIES}), not add entries.
     */
    public List<ConfigSection> sections(String key) {
        return sections(key, null);
    }

    /**
     * {@link #sections(String)} for a list that an earlier version wrote as a mapping of named entries: a mapping
     * under {@code key} is one problem, whose message {@code whenMapping} makes from the mapping's keys to say how
     * to rewrite it ("must be a list of routes, was a mapping: ..."). Either way the entries of a mapping found
     * where a list belongs are not also reported one by one as unknown settings.
     */
    public List<ConfigSection> sections(String key, Function<List<String>, String> whenMapping) {
        String listPath = ConfigTree.join(path, key);
        tree.markRead(path, key);
        Node v = map.get(key);
        if (v != null && v.value() != null && !v.isList()) {
            tree.origin(listPath, v.origin());
            tree.problems().add(listPath, v.isMap() && whenMapping != null
                    ? whenMapping.apply(List.copyOf(v.map().keySet()))
                    : "must be a list of mappings, was " + Node.describe(v.value()));
            return List.of();
        }
        tree.markSection(listPath);
        if (v == null || v.value() == null) {
            return List.of();
        }
        List<ConfigSection> out = new ArrayList<>();
        List<Node> items = v.list();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = listPath + "[" + i + "]";
            Node item = items.get(i);
            tree.markRead(listPath, "[" + i + "]");
            tree.markSection(itemPath);
            if (item.isMap()) {
                out.add(new ConfigSection(tree, itemPath, Integer.toString(i), item.map(), true));
            } else {
                tree.origin(itemPath, item.origin());
                tree.problems().add(itemPath, "must be a mapping of settings, was " + Node.describe(item.value()));
            }
        }
        return out;
    }

    public String string(String key, String defaultValue) {
        ConfigTree.Raw r = raw(key, "string", defaultValue);
        if (r == null) {
            return defaultValue;
        }
        Object v = r.value();
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        return wrong(r, "must be a string", defaultValue);
    }

    public int integer(String key, int defaultValue) {
        ConfigTree.Raw r = raw(key, "integer", defaultValue);
        if (r == null) {
            return defaultValue;
        }
        BigInteger v = whole(r.value());
        if (v == null) {
            return wrong(r, "must be an integer", defaultValue);
        }
        if (v.bitLength() > 31) {
            return wrong(r, "must be an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE,
                    defaultValue);
        }
        return v.intValue();
    }

    /**
     * An optional integer: null unless set, and null when set to a value that does not read (a problem then), so
     * that validation does not also judge a made-up value. What {@link #read(Class, Record)} does for an
     * {@code Integer} component whose default is null.
     */
    public Integer optionalInteger(String key) {
        if (!has(key)) {
            return null;
        }
        int before = problems().count();
        int value = integer(key, 0);
        return problems().count() == before ? value : null;
    }

    public long longValue(String key, long defaultValue) {
        ConfigTree.Raw r = raw(key, "integer", defaultValue);
        if (r == null) {
            return defaultValue;
        }
        BigInteger v = whole(r.value());
        if (v == null || v.bitLength() > 63) {
            return wrong(r, v == null ? "must be an integer" : "must be an integer that fits 64 bits", defaultValue);
        }
        return v.longValue();
    }

    /**
     * A decimal number such as {@code 0.5}, {@code 50} or {@code 2.5e3}. Written as Java's {@link BigDecimal} reads
     * it, so {@code NaN}, {@code .inf} and suffixes such as {@code 1d} are problems rather than values.
     */
    public double decimal(String key, double defaultValue) {
        ConfigTree.Raw r = raw(key, "decimal", defaultValue);
        if (r == null) {
            return defaultValue;
        }
        Object v = r.value();
        if (v instanceof Number n && !(v instanceof Double d && (d.isNaN() || d.isInfinite()))) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return new BigDecimal(s.strip()).doubleValue();
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        return wrong(r, "must be a decimal number", defaultValue);
    }

    public boolean bool(String key, boolean defaultValue) {
        ConfigTree.Raw r = raw(key, "boolean", defaultValue);
        if (r == null) {
            return defaultValue;
        }
        if (r.value() instanceof Boolean b) {
            return b;
        }
        if (r.value() instanceof String s) {
            String v = s.strip();
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return v.equalsIgnoreCase("true");
            }
        }
        return wrong(r, "must be true or false", defaultValue);
    }

    public Duration duration(String key, Duration defaultValue) {
        ConfigTree.Raw r = raw(key, "duration", defaultValue);
        if (r == null) {
            return defaultValue;
        }
        return toDuration(r, r.value(), defaultValue);
    }

    /** A list of durations ({@code [1s, 10s, 1m]}); from an override, comma-separated. */
    public List<Duration> durations(String key, List<Duration> defaultValue) {
        ConfigTree.Raw r = raw(key, "list of durations", defaultValue);
        if (r == null) {
            return defaultValue;
        }
        List<Object> items = items(r);
        if (items == null) {
            return wrong(r, "must be a list of durations", defaultValue);
        }
        List<Duration> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (item instanceof Duration d) {
                out.add(d);
                continue;
            }
            try {
                out.add(Units.duration(String.valueOf(item)));
            } catch (IllegalArgumentException e) {
                return wrong(r, "must be a list of durations; item " + (i + 1) + " " + Node.describe(item) + ": "
                        + e.getMessage(), defaultValue);
            }
        }
        return List.copyOf(out);
    }

    /** A size in bytes. */
    public long size(String key, long defaultValue) {
        ConfigTree.Raw r = raw(key, "size", defaultValue);
        if (r == null) {
            return defaultValue;
        }
        Object v = r.value();
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        if (!(v instanceof String s)) {
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
            return wrong(raw(key, "size", defaultValue), "must be less than 2GiB", defaultValue);
        }
        return (int) v;
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        E[] constants = type.getEnumConstants();
        String names = String.join(", ", Arrays.stream(constants).map(ConfigSection::format).toList());
        ConfigTree.Raw r = raw(key, "one of " + names, defaultValue);
        if (r == null) {
            return defaultValue;
        }
        if (type.isInstance(r.value())) {
            return type.cast(r.value());
        }
        if (r.value() instanceof String s) {
            String wanted = s.strip().replace('-', '_');
            for (E e : constants) {
                if (e.name().equalsIgnoreCase(wanted)) {
                    return e;
                }
            }
        }
        return wrong(r, "must be one of " + names, defaultValue);
    }

    /** A list of strings; from an override, comma-separated with blanks around items dropped. */
    public List<String> strings(String key, List<String> defaultValue) {
        ConfigTree.Raw r = raw(key, "list of strings", defaultValue);
        if (r == null) {
            return defaultValue;
        }
        List<Object> items = items(r);
        if (items == null || items.stream().anyMatch(i -> i == null || i instanceof Map<?, ?> || i instanceof List<?>)) {
            return wrong(r, "must be a list of strings", defaultValue);
        }
        return items.stream().map(String::valueOf).toList();
    }

    /** A file path, relative to the working directory unless absolute; null when absent and no default is given. */
    public Path path(String key, Path defaultValue) {
        return parsed(key, "file path", defaultValue, Path.class, text -> {
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(e.getReason(), e);
            }
        });
    }

    /** A URI ({@code https://id.example.com/jwks.json}); null when absent and no default is given. */
    public URI uri(String key, URI defaultValue) {
        return parsed(key, "URI", defaultValue, URI.class, text -> {
            try {
                return new URI(text.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(e.getReason(), e);
            }
        });
    }

    /**
     * The mapping under {@code key} as names to strings ({@code apiKeys: {ci-bot: "..."}}); each entry can be
     * overridden like any setting. Empty when absent.
     */
    public Map<String, String> stringMap(String key) {
        ConfigSection entries = section(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : entries.keys()) {
            String value = entries.string(name, null);
            if (value != null) {
                out.put(name, value);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Reads the record {@code type} from this section by its components, each the setting of the same name with its
     * default from {@code defaults} (see {@link RecordReader} for the rules), without validating it: for a record
     * whose settings the record that holds it validates, when they matter.
     *
     * <p>It reads by reflection, whose first calls spin method handles in the interpreter: 30 to 70 ms of a fresh
     * JVM's time for each record. A record read when a service starts spells its reading out instead, with the
     * accessors below in component order (what this method would do), and its tests check the two agree.
     */
    public <R extends Record> R read(Class<R> type, R defaults) {
        return RecordReader.read(this, type, defaults);
    }

    /**
     * Reads the record {@code type} as {@link #read(Class, Record)} does, then validates it under this section's path
     * into this section's problems: a record's whole {@code from(ConfigSection)}.
     *
     * <pre>{@code
     * public static CacheConfig from(ConfigSection s) {
     *     return s.read(CacheConfig.class, defaults(), CacheConfig::validate);
     * }
     * }</pre>
     */
    public <R extends Record> R read(Class<R> type, R defaults, Problems.Validation<R> validation) {
        R record = RecordReader.read(this, type, defaults);
        validation.validate(record, path, problems());
        return record;
    }

    /**
     * Reads this section with {@code from}: the same as {@code from.apply(this)}, for symmetry with
     * {@link ConfigTree#read}.
     */
    public <T> T read(Function<ConfigSection, T> from) {
        return from.apply(this);
    }

    // ---- helpers ----

    private ConfigTree.Raw raw(String key, String kind, Object defaultValue) {
        return tree.lookup(path, key, map.get(key), kind, defaultValue);
    }

    /**
     * A value of {@code type} written as text, which {@code parse} reads or rejects with an
     * {@link IllegalArgumentException} saying why; in code it may be given as a {@code type} already.
     */
    private <T> T parsed(String key, String kind, T defaultValue, Class<T> type, Function<String, T> parse) {
        ConfigTree.Raw r = raw(key, kind, defaultValue);
        if (r == null) {
            return defaultValue;
        }
        if (type.isInstance(r.value())) {
            return type.cast(r.value());
        }
        if (r.value() instanceof String s && !s.isBlank()) {
            try {
                return parse.apply(s);
            } catch (IllegalArgumentException e) {
                return wrong(r, "must be a " + kind + " (" + e.getMessage() + ")", defaultValue);
            }
        }
        return wrong(r, "must be a " + kind, defaultValue);
    }

    private <T> T wrong(ConfigTree.Raw r, String what, T defaultValue) {
        tree.problems().add(r.path(), what + ", was " + Node.describe(r.value()));
        return defaultValue;
    }

    private Duration toDuration(ConfigTree.Raw r, Object v, Duration defaultValue) {
        if (v instanceof Duration d) {
            return d;
        }
        if (v instanceof Integer i && i == 0) {
            return Duration.ZERO;
        }
        if (!(v instanceof String s)) {
            return wrong(r, "must be a duration with a unit: " + Units.DURATION_HINT, defaultValue);
        }
        try {
            return Units.duration(s);
        } catch (IllegalArgumentException e) {
            return wrong(r, e.getMessage(), defaultValue);
        }
    }

    /** The items of a list value: the list itself, or the comma-separated parts of an override's text. */
    private static List<Object> items(ConfigTree.Raw r) {
        if (r.value() instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(item instanceof Node n ? n.value() : item);
            }
            return out;
        }
        if (r.fromText() && r.value() instanceof String s) {
            String text = s.strip();
            return text.isEmpty() ? List.of() : Arrays.stream(text.split(",")).map(String::strip)
                    .map(Object.class::cast).toList();
        }
        return null;
    }

    private static BigInteger whole(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return BigInteger.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger b) {
            return b;
        }
        if (v instanceof String s) {
            try {
                return new BigInteger(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A value as a configuration file writes it: {@code 10s}, {@code least-outstanding}, {@code [a, b]}. */
    static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Duration d) {
            return Units.format(d);
        }
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (v instanceof List<?> list) {
            return "[" + String.join(", ", list.stream().map(ConfigSection::format).toList()) + "]";
        }
        return String.valueOf(v);
    }
}
