package dev.weft.http.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.weft.http.ConfigException;

/**
 * A configuration file read into a tree, with environment variables over it, and the problems found so far.
 *
 * <p>The file is YAML ({@code .yaml}, {@code .yml}: the block-style subset {@link YamlSubset} documents) or JSON
 * ({@code .json}). Its tree is nested {@code Map<String, Object>}s with lists, strings and, from JSON, numbers and
 * booleans. Modules never see the file: the application reads each module's section with the typed accessors of
 * {@link ConfigSection} and builds that module's configuration record from it.
 *
 * <p><b>Environment variables</b> override single settings, by a fixed rule: {@code WEFT_}, then the setting's
 * path with each key turned from camelCase into UPPER_SNAKE_CASE ({@code -} becomes {@code _}) and the keys joined
 * by {@code _}. So {@code server.readHeaderTimeout} is {@code WEFT_SERVER_READ_HEADER_TIMEOUT} and
 * {@code server.tls.keystorePassword} is {@code WEFT_SERVER_TLS_KEYSTORE_PASSWORD}. A variable is consulted when
 * its setting is read, whether or not the file has that key; an empty variable counts as set (to empty).
 *
 * <p><b>Problems</b> are collected, not thrown one by one: syntax errors ({@code file:line: message}), values of
 * the wrong type, unknown keys, and the validation problems the application adds with {@link #addProblems}. Each
 * names the setting's path and where its value came from. {@link #throwIfProblems()} then reports them all in
 * one {@link ConfigException}. Not thread-safe: build configuration on one thread, then share the records.
 */
public final class ConfigFile {
    private final String source;
    private final Map<String, Object> tree;
    private final Map<String, Integer> lines;
    private final Map<String, String> env;
    private final List<String> problems;
    /** Where each setting read so far came from: {@code file:line} or the environment variable's name. */
    private final Map<String, String> origins = new HashMap<>();

    private ConfigFile(String source, Map<String, Object> tree, Map<String, Integer> lines, Map<String, String> env,
                       List<String> problems) {
        this.source = source;
        this.tree = tree;
        this.lines = lines;
        this.env = Map.copyOf(env);
        this.problems = problems;
    }

    /** Reads {@code file}, with the process environment over it. */
    public static ConfigFile load(Path file) {
        return load(file, System.getenv());
    }

    /**
     * Reads {@code file}, with {@code env} over it. A file that cannot be read or parsed is recorded as a problem
     * (its readable part is kept), so that the other problems are still found; nothing is thrown here.
     */
    public static ConfigFile load(Path file, Map<String, String> env) {
        String name = file.toString();
        List<String> problems = new ArrayList<>();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (NoSuchFileException e) {
            problems.add(name + ": no such file");
            return new ConfigFile(name, new LinkedHashMap<>(), new HashMap<>(), env, problems);
        } catch (CharacterCodingException e) {
            problems.add(name + ": not UTF-8 text");
            return new ConfigFile(name, new LinkedHashMap<>(), new HashMap<>(), env, problems);
        } catch (IOException e) {
            problems.add(name + ": cannot be read: " + e);
            return new ConfigFile(name, new LinkedHashMap<>(), new HashMap<>(), env, problems);
        }
        return parse(text, name, env, problems);
    }

    /**
     * Parses {@code text} as the file {@code name} (its extension picks the format), with {@code env} over it.
     */
    public static ConfigFile parse(String text, String name, Map<String, String> env) {
        return parse(text, name, env, new ArrayList<>());
    }

    private static ConfigFile parse(String text, String name, Map<String, String> env, List<String> problems) {
        Map<String, Integer> lines = new HashMap<>();
        String lower = name.toLowerCase(Locale.ROOT);
        Map<String, Object> tree;
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            tree = YamlSubset.parse(text, name, lines, problems);
        } else if (lower.endsWith(".json")) {
            tree = JsonConfig.parse(text, name, lines, problems);
        } else {
            problems.add(name + ": unknown file type: use .yaml, .yml or .json");
            tree = new LinkedHashMap<>();
        }
        return new ConfigFile(name, tree, lines, env, problems);
    }

    /** No file: defaults, with {@code env} over them. */
    public static ConfigFile environmentOnly(Map<String, String> env) {
        return new ConfigFile("(no file)", new LinkedHashMap<>(), new HashMap<>(), env, new ArrayList<>());
    }

    /** The file's tree as parsed, without environment overrides; read-only. */
    public Map<String, Object> tree() {
        return Collections.unmodifiableMap(tree);
    }

    /** The top level of the file. */
    public ConfigSection root() {
        return new ConfigSection(this, "", tree);
    }

    /** The top-level section {@code key}, such as {@code server}; empty when the file has none. */
    public ConfigSection section(String key) {
        return root().section(key);
    }

    /** Every problem found so far; read-only. */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    /**
     * Adds problems found by validating records built from this file, each {@code path: message}; a problem
     * whose path was read from the file or the environment gets its origin appended.
     */
    public void addProblems(Collection<String> found) {
        for (String p : found) {
            int colon = p.indexOf(": ");
            String origin = colon > 0 ? origins.get(p.substring(0, colon)) : null;
            problems.add(origin == null ? p : p + " (" + origin + ")");
        }
    }

    /** Throws a {@link ConfigException} listing every problem, if there is any. */
    public void throwIfProblems() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** The environment variable that overrides the setting at {@code path}: {@code WEFT_SERVER_READ_HEADER_TIMEOUT}. */
    public static String envName(String path) {
        StringBuilder out = new StringBuilder("WEFT");
        for (String key : path.split("\\.")) {
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

    /** Keys are letters, digits, {@code -} and {@code _}: what env names and dotted paths can carry. */
    static boolean isValidKey(String key) {
        if (key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char k = key.charAt(i);
            boolean ok = (k >= 'a' && k <= 'z') || (k >= 'A' && k <= 'Z') || (k >= '0' && k <= '9')
                    || k == '-' || k == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    Map<String, String> env() {
        return env;
    }

    /** {@code file:line} of the key at {@code path}, or the file's name when unknown. */
    String location(String path) {
        Integer line = lines.get(path);
        return line == null ? source : source + ":" + line;
    }

    void recordOrigin(String path, String origin) {
        origins.put(path, origin);
    }

    void problem(String message) {
        problems.add(message);
    }
}
