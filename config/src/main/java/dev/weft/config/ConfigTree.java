package dev.weft.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A service's configuration: a tree of settings read from a YAML or JSON file, with environment variables and
 * system properties over it, and the problems found while reading it.
 *
 * <p><b>Where a setting comes from</b>, the later winning: the file ({@code .yaml}/{@code .yml}: YAML 1.2 read by
 * SnakeYAML Engine; {@code .json}: JSON read by Jackson), then the environment variable {@code WEFT_<PATH>}, then
 * the system property {@code -Dweft.<path>}, then, for {@code server.port} only, {@code PORT}, the variable that
 * platforms such as Heroku and Cloud Run set. {@code <PATH>} is the setting's path with each key turned from
 * camelCase to UPPER_SNAKE_CASE ({@code -} becomes {@code _}), list indexes as numbers, joined by {@code _}:
 * {@code server.readHeaderTimeout} is {@code WEFT_SERVER_READ_HEADER_TIMEOUT}, {@code gateway.routes[0].retries}
 * is {@code WEFT_GATEWAY_ROUTES_0_RETRIES}; the property is {@code -Dweft.} and the path as written
 * ({@code -Dweft.gateway.routes[0].retries=2}). An override is consulted when its setting is read, whether or not
 * the file has that key, so a section can be given by the environment alone.
 *
 * <p><b>Reading</b>: each module reads its section through {@link ConfigSection}'s typed accessors into an
 * immutable record ({@code static X from(ConfigSection)}). The tree remembers which settings were read, so that
 * {@link #throwIfProblems()} can report every key of the file, and every {@code WEFT_*} variable or
 * {@code -Dweft.*} property under a section that was read, that no code asked for: a misspelt setting is an error,
 * with no list of known keys kept by hand. {@code WEFT_*} variables outside every section read are not reported:
 * the environment is shared with other programs.
 *
 * <p><b>Problems</b> are collected, not thrown one by one: syntax errors ({@code file:line:column: message}),
 * values of the wrong type or unit, unknown settings, and what the records' {@code validate} finds. Each names the
 * setting's path and where its value came from. {@link #throwIfProblems()} then reports them all in one
 * {@link ConfigException}.
 *
 * <p>Not thread-safe: read the configuration on one thread, then share the records.
 */
public final class ConfigTree {
    /** Variables that platforms set for one setting, over everything else. */
    private static final Map<String, String> PLATFORM_VARIABLES = Map.of("server.port", "PORT");

    private final Node root;
    private final Map<String, String> env;
    private final Map<String, String> properties;
    private final List<String> syntaxProblems;
    private final Problems problems;
    /** Where each setting read so far came from, by path: for the origin of a validation problem. */
    private final Map<String, String> origins = new HashMap<>();
    /** The keys read in each section, by the section's path, in the order they were read. */
    private final Map<String, Set<String>> keysRead = new HashMap<>();
    /** The names of the variables and properties consulted so far. */
    private final Set<String> overridesConsulted = new HashSet<>();
    /**
     * Every setting read, with its kind and default, by path: what a reference table of the settings lists. The
     * default is kept as the record holds it and formatted only when asked for: formatting a duration is a
     * {@code BigDecimal} division, whose first use cost 21 to 26 ms of the main thread's start-up.
     */
    private final Map<String, SettingRead> settings = new LinkedHashMap<>();
    private List<String> unknown;

    private ConfigTree(Node root, Map<String, String> env, Map<String, String> properties, List<String> syntax) {
        this.root = root;
        // Sorted, so that problems about overrides come in the same order on every run.
        this.env = Collections.unmodifiableMap(new TreeMap<>(env));
        this.properties = Collections.unmodifiableMap(new TreeMap<>(properties));
        this.syntaxProblems = List.copyOf(syntax);
        this.problems = new Problems(origins::get);
        syntax.forEach(problems::addRaw);
    }

    /** No file and no overrides: every setting at its default. */
    public static ConfigTree empty() {
        return new ConfigTree(new Node(new LinkedHashMap<String, Node>(), null), Map.of(), Map.of(), List.of());
    }

    /**
     * Reads {@code file}: YAML for {@code .yaml} and {@code .yml}, JSON for {@code .json}. A file that cannot be read
     * or parsed is a problem of the tree (what could be read is kept), so that the other problems are still found;
     * nothing is thrown here.
     */
    public static ConfigTree read(Path file) {
        String name = file.toString();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            return failed(name + ": no such file");
        } catch (CharacterCodingException e) {
            return failed(name + ": not UTF-8 text");
        } catch (IOException e) {
            return failed(name + ": cannot be read: " + e);
        }
        return parse(name, text);
    }

    /** Parses {@code text} as the file {@code name}, whose extension picks the format. */
    public static ConfigTree parse(String name, String text) {
        Problems found = new Problems();
        String lower = name.toLowerCase(Locale.ROOT);
        Node root;
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            root = YamlDocument.parse(name, text, found);
        } else if (lower.endsWith(".json")) {
            root = JsonDocument.parse(name, text, found);
        } else {
            return failed(name + ": unknown file type: use .yaml, .yml or .json");
        }
        return new ConfigTree(root, Map.of(), Map.of(), found.list());
    }

    /**
     * A tree built in code: nested {@code Map<String, ?>}s and lists whose leaves are what a file holds (strings,
     * numbers, booleans) or what an accessor returns ({@code Duration.ofSeconds(5)}, an enum constant, a
     * {@code Path}): the one way to build every configuration record in code, with the same checks as a file.
     *
     * <pre>{@code
     * ServerConfig config = ConfigTree.of(Map.of("port", 0, "readTimeout", Duration.ofSeconds(5)))
     *         .read(ServerConfig::from);
     * }</pre>
     */
    public static ConfigTree of(Map<String, ?> settings) {
        return of(null, settings);
    }

    /**
     * {@link #of(Map)} with every setting's origin {@code origin}, as a file's settings have {@code file:line:column}:
     * a service's built-in defaults written as Java values ("the shop's built-in defaults"), so that a problem with
     * one of them still says where it came from. A service gives its defaults this way rather than as a YAML document
     * parsed at every start: SnakeYAML Engine's first parse cost 80 to 118 ms of the main thread before the server
     * could bind. Give the maps in the order a file would list them (a {@code LinkedHashMap}): sections of named
     * entries keep it.
     */
    public static ConfigTree of(String origin, Map<String, ?> settings) {
        return new ConfigTree(fromCode(settings, origin), Map.of(), Map.of(), List.of());
    }

    private static ConfigTree failed(String problem) {
        return new ConfigTree(new Node(new LinkedHashMap<String, Node>(), null), Map.of(), Map.of(),
                List.of(problem));
    }

    /**
     * This tree over {@code defaults}: mappings are merged key by key, any other value of this tree replaces the
     * default's. A service ships its defaults as a document of its own (the embedded database, the in-process
     * cache) and its users' files change only what differs.
     */
    public ConfigTree over(ConfigTree defaults) {
        List<String> syntax = new ArrayList<>(defaults.syntaxProblems);
        syntax.addAll(syntaxProblems);
        return new ConfigTree(merge(defaults.root, root), env, properties, syntax);
    }

    /**
     * This tree with {@code env} and {@code properties} over it; only the {@code WEFT_*} variables, {@code PORT}, and
     * the {@code weft.*} properties matter.
     */
    public ConfigTree withOverrides(Map<String, String> env, Map<String, String> properties) {
        Map<String, String> weftEnv = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("WEFT_") || PLATFORM_VARIABLES.containsValue(k)) {
                weftEnv.put(k, v);
            }
        });
        Map<String, String> weftProperties = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith("weft.")) {
                weftProperties.put(k, v);
            }
        });
        return new ConfigTree(root, weftEnv, weftProperties, syntaxProblems);
    }

    /** This tree with the process's environment and system properties over it. */
    public ConfigTree withProcessOverrides() {
        Map<String, String> props = new HashMap<>();
        System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
        return withOverrides(System.getenv(), props);
    }

    /** The top level of the tree. */
    public ConfigSection root() {
        markSection("");
        return new ConfigSection(this, "", "", root.map());
    }

    /** The top-level section {@code key}, such as {@code server}; empty when absent. */
    public ConfigSection section(String key) {
        return root().section(key);
    }

    /**
     * Reads the root with {@code from} and returns the record, or throws a {@link ConfigException} listing every
     * problem, unknown settings included: the short way to build one record from a tree.
     */
    public <T> T read(Function<ConfigSection, T> from) {
        T record = from.apply(root());
        throwIfProblems();
        return record;
    }

    /**
     * Reads the top-level section {@code key} with {@code from} and returns the record, or throws a
     * {@link ConfigException} listing every problem, unknown settings included:
     * {@code ConfigTree.parse("weft.yaml", text).read("cache", CachesConfig::from)}.
     */
    public <T> T read(String key, Function<ConfigSection, T> from) {
        T record = from.apply(section(key));
        throwIfProblems();
        return record;
    }

    /** Where problems are recorded; validation problems get the origin of the setting they name. */
    public Problems problems() {
        return problems;
    }

    /**
     * Throws a {@link ConfigException} listing every problem: those recorded so far and, first, a problem for every
     * setting that no accessor has read. Call it once everything has been read, before the service binds.
     */
    public void throwIfProblems() {
        if (unknown == null) {
            unknown = new ArrayList<>();
            unknownKeys(root.map(), "");
            unknownOverrides();
        }
        List<String> all = new ArrayList<>(problems.list());
        all.addAll(unknown);
        if (!all.isEmpty()) {
            throw new ConfigException(all);
        }
    }

    /** The tree as plain maps and lists, without overrides: for tests and for printing. */
    public Map<String, Object> asMap() {
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = (Map<String, Object>) root.plain();
        return plain;
    }

    /** One setting as read: its path, kind ({@code duration}, {@code integer}, ...) and default as a file writes it. */
    public record Setting(String path, String kind, String defaultValue) {}

    /** Every setting read so far, in the order read: what a reference table of the settings must list. */
    public List<Setting> settingsRead() {
        List<Setting> read = new ArrayList<>(settings.size());
        settings.forEach((path, s) -> read.add(new Setting(path, s.kind(), ConfigSection.format(s.defaultValue()))));
        return List.copyOf(read);
    }

    private record SettingRead(String kind, Object defaultValue) {}

    /** The environment variable that overrides the setting at {@code path}: {@code WEFT_SERVER_READ_HEADER_TIMEOUT}. */
    public static String envName(String path) {
        StringBuilder out = new StringBuilder("WEFT");
        for (String key : path.replace("[", ".").replace("]", "").split("\\.")) {
            if (key.isEmpty()) {
                continue;
            }
            out.append('_');
            for (int i = 0; i < key.length(); i++) {
                char c = key.charAt(i);
                if (c == '-') {
                    out.append('_');
                    continue;
                }
                if (Character.isUpperCase(c) && i > 0
                        && (Character.isLowerCase(key.charAt(i - 1)) || Character.isDigit(key.charAt(i - 1)))) {
                    out.append('_');
                }
                out.append(Character.toUpperCase(c));
            }
        }
        return out.toString();
    }

    /** The system property that overrides the setting at {@code path}: {@code weft.server.readHeaderTimeout}. */
    public static String propertyName(String path) {
        return "weft." + path;
    }

    // ---- used by ConfigSection ----

    /** A setting's value and where it came from; {@code fromText} when it came as text from an override. */
    record Raw(String path, Object value, String origin, boolean fromText) {}

    /** Looks a setting up in the overrides, then the file; records it as read. Null when it is absent. */
    Raw lookup(String sectionPath, String key, Node inFile, String kind, Object defaultValue) {
        String path = join(sectionPath, key);
        markRead(sectionPath, key);
        settings.putIfAbsent(path, new SettingRead(kind, defaultValue));
        Raw raw = override(path);
        if (raw == null && inFile != null && inFile.value() != null) {
            raw = new Raw(path, inFile.value(), inFile.origin(), false);
        }
        if (raw != null && raw.origin() != null) {
            origins.put(path, raw.origin());
        }
        return raw;
    }

    private Raw override(String path) {
        // Every name is consulted, so that one shadowed by a later source is not reported as unknown.
        String platform = PLATFORM_VARIABLES.get(path);
        String property = propertyName(path);
        String variable = envName(path);
        overridesConsulted.add(property);
        overridesConsulted.add(variable);
        if (platform != null) {
            String v = env.get(platform);
            if (v != null && !v.isBlank()) {
                return new Raw(path, v, "from " + platform, true);
            }
        }
        if (properties.containsKey(property)) {
            return new Raw(path, properties.get(property), "from -D" + property, true);
        }
        if (env.containsKey(variable)) {
            return new Raw(path, env.get(variable), "from " + variable, true);
        }
        return null;
    }

    /** Records that {@code key} was read in the section at {@code sectionPath}. */
    void markRead(String sectionPath, String key) {
        keysRead.computeIfAbsent(sectionPath, p -> new LinkedHashSet<>()).add(key);
    }

    /** Records that the section at {@code path} was opened, so that its unread keys are reported. */
    void markSection(String path) {
        keysRead.computeIfAbsent(path, p -> new LinkedHashSet<>());
    }

    /** True when some override names a setting under {@code sectionPath}. */
    boolean overridden(String sectionPath) {
        String variablePrefix = envName(sectionPath) + "_";
        String propertyPrefix = propertyName(sectionPath);
        return env.keySet().stream().anyMatch(n -> n.startsWith(variablePrefix))
                || properties.keySet().stream().anyMatch(n -> n.startsWith(propertyPrefix + ".")
                        || n.startsWith(propertyPrefix + "["));
    }

    void origin(String path, String origin) {
        if (origin != null) {
            origins.put(path, origin);
        }
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : key.startsWith("[") ? path + key : path + "." + key;
    }

    // ---- unknown settings ----

    private void unknownKeys(Map<String, Node> map, String path) {
        Set<String> read = keysRead.get(path);
        if (read == null) {
            return; // the section itself was never read: its parent reports it
        }
        for (Map.Entry<String, Node> e : map.entrySet()) {
            String key = e.getKey();
            String childPath = join(path, key);
            if (!read.contains(key)) {
                String where = e.getValue().origin() == null ? "" : " (" + e.getValue().origin() + ")";
                unknown.add(childPath + ": unknown " + (e.getValue().isMap() ? "section" : "setting") + where
                        + "; " + known(path, read));
                continue;
            }
            Node child = e.getValue();
            if (child.isMap()) {
                unknownKeys(child.map(), childPath);
            } else if (child.isList()) {
                List<Node> items = child.list();
                for (int i = 0; i < items.size(); i++) {
                    if (items.get(i).isMap()) {
                        unknownKeys(items.get(i).map(), childPath + "[" + i + "]");
                    }
                }
            }
        }
    }

    private void unknownOverrides() {
        for (String variable : env.keySet()) {
            if (!overridesConsulted.contains(variable) && !PLATFORM_VARIABLES.containsValue(variable)) {
                String section = deepestSection(p -> envName(p) + "_", variable);
                if (section != null) {
                    unknown.add(variable + ": environment variable for no setting under " + section + "; "
                            + known(section, keysRead.get(section)));
                }
            }
        }
        for (String property : properties.keySet()) {
            if (!overridesConsulted.contains(property)) {
                String section = deepestSection(p -> propertyName(p) + ".", property);
                if (section != null) {
                    unknown.add("-D" + property + ": system property for no setting under " + section + "; "
                            + known(section, keysRead.get(section)));
                } else {
                    unknown.add("-D" + property + ": system property for no setting; "
                            + known("", keysRead.getOrDefault("", Set.of())));
                }
            }
        }
    }

    /** The longest path of a section that was read whose override prefix starts {@code name}; null if none. */
    private String deepestSection(Function<String, String> prefix, String name) {
        String best = null;
        for (Map.Entry<String, Set<String>> e : keysRead.entrySet()) {
            String path = e.getKey();
            if (!path.isEmpty() && !e.getValue().isEmpty() && name.startsWith(prefix.apply(path))
                    && (best == null || path.length() > best.length())) {
                best = path;
            }
        }
        return best;
    }

    private String known(String path, Set<String> read) {
        if (read == null || read.isEmpty()) {
            return "nothing is read there";
        }
        boolean allSections = read.stream().allMatch(k -> keysRead.containsKey(join(path, k)));
        return (allSections ? "known sections: " : "known settings: ") + String.join(", ", read);
    }

    // ---- building trees ----

    private static Node merge(Node lower, Node upper) {
        if (lower.isMap() && upper.isMap()) {
            Map<String, Node> merged = new LinkedHashMap<>(lower.map());
            upper.map().forEach((k, v) -> merged.merge(k, v, ConfigTree::merge));
            return new Node(merged, upper.origin());
        }
        return upper;
    }

    private static Node fromCode(Object value, String origin) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Node> map = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                map.put(String.valueOf(e.getKey()), fromCode(e.getValue(), origin));
            }
            return new Node(map, origin);
        }
        if (value instanceof List<?> l) {
            List<Node> items = new ArrayList<>(l.size());
            for (Object item : l) {
                items.add(fromCode(item, origin));
            }
            return new Node(List.copyOf(items), origin);
        }
        return new Node(value, origin);
    }
}
