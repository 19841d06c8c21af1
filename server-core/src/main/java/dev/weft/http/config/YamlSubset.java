package dev.weft.http.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the block-style subset of YAML that configuration files need, and rejects the rest with
 * {@code file:line} problems rather than guessing.
 *
 * <p>Supported: nested mappings by indentation (spaces only), {@code key: value} with keys made of letters,
 * digits, {@code -} and {@code _}; plain, single-quoted ({@code ''} for a quote) and double-quoted scalars
 * (escapes {@code \\ \" \/ \b \f \n \r \t \0} and <code>&#92;uXXXX</code>); lists of scalars as
 * {@code - item} lines, indented under their key or level with it; the empty collections {@code []} and
 * {@code {}}; comments from {@code #} (at the start of a line, or after a space); one leading {@code ---}.
 *
 * <p>Every scalar is a string: {@code yes}, {@code 010} and {@code null} are read as written, and the typed
 * accessors of {@link ConfigSection} decide what they mean, so that no value changes type behind the author's
 * back. A key with nothing after the colon and nothing indented below it is null (not set).
 *
 * <p>Rejected: tabs in indentation, flow collections ({@code [a, b]}, {@code {a: 1}}), anchors, aliases, tags,
 * block scalars ({@code |}, {@code >}), multi-line quoted strings, complex keys, mappings inside lists, several
 * documents, and duplicate keys. The parser goes on after a problem, so that one run reports them all.
 */
final class YamlSubset {
    private record Line(int number, int indent, String content) {}

    private final List<Line> lines = new ArrayList<>();
    private final Map<String, Integer> locations;
    private final List<Problem> found = new ArrayList<>();
    private int pos;

    private record Problem(int line, String message) {}

    private YamlSubset(Map<String, Integer> locations) {
        this.locations = locations;
    }

    /**
     * Parses {@code text}. Records each key's line in {@code locations} (by dotted path) and each problem, as
     * {@code source:line: message}, in {@code problems}; returns what could be read.
     */
    static Map<String, Object> parse(String text, String source, Map<String, Integer> locations,
                                     List<String> problems) {
        YamlSubset parser = new YamlSubset(locations);
        Map<String, Object> root = parser.document(text);
        // Lines are split before they are parsed, so problems are found out of order: report them by line.
        parser.found.sort(Comparator.comparingInt(Problem::line));
        parser.found.forEach(p -> problems.add(source + ":" + p.line() + ": " + p.message()));
        return root;
    }

    private Map<String, Object> document(String text) {
        split(text);
        if (lines.isEmpty()) {
            return new LinkedHashMap<>();
        }
        Line first = lines.getFirst();
        if (isListItem(first)) {
            problem(first, "the document must be a mapping (key: value), not a list");
            return new LinkedHashMap<>();
        }
        Map<String, Object> root = mapping(first.indent(), "");
        while (pos < lines.size()) {
            problem(lines.get(pos++), "unexpected indentation: this file's top-level keys start at column "
                    + (first.indent() + 1));
        }
        return root;
    }

    private void split(String text) {
        String[] raw = text.split("\r?\n", -1);
        boolean first = true;
        for (int i = 0; i < raw.length; i++) {
            String line = raw[i];
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            int indent = 0;
            while (indent < line.length() && (line.charAt(indent) == ' ' || line.charAt(indent) == '\t')) {
                if (line.charAt(indent) == '\t') {
                    break;
                }
                indent++;
            }
            String content = line.substring(indent).stripTrailing();
            Line l = new Line(i + 1, indent, content);
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            if (content.startsWith("\t")) {
                problem(l, "tab in indentation: indent with spaces");
                continue;
            }
            if (indent == 0 && (content.equals("---") || content.startsWith("--- "))) {
                if (!first) {
                    problem(l, "several documents in one file are not supported");
                }
                first = false;
                continue;
            }
            if (indent == 0 && content.equals("...")) {
                problem(l, "document end markers (...) are not supported");
                continue;
            }
            if (content.startsWith("%")) {
                problem(l, "directives (%) are not supported");
                continue;
            }
            first = false;
            lines.add(l);
        }
    }

    private Map<String, Object> mapping(int indent, String path) {
        Map<String, Object> map = new LinkedHashMap<>();
        while (pos < lines.size()) {
            Line l = lines.get(pos);
            if (l.indent() < indent) {
                break;
            }
            if (l.indent() > indent) {
                problem(l, "unexpected indentation: expected " + indent + " spaces here");
                pos++;
                skipBelow(indent);
                continue;
            }
            if (isListItem(l)) {
                problem(l, "a list item where a key was expected");
                pos++;
                skipBelow(indent);
                continue;
            }
            pos++;
            int colon = keyEnd(l);
            if (colon < 0) {
                skipBelow(indent);
                continue;
            }
            String key = l.content().substring(0, colon);
            String rest = l.content().substring(colon + 1).strip();
            String childPath = path.isEmpty() ? key : path + "." + key;
            Object value;
            if (rest.isEmpty() || rest.startsWith("#")) {
                Line next = pos < lines.size() ? lines.get(pos) : null;
                if (next != null && next.indent() > indent) {
                    value = isListItem(next) ? list(next.indent(), l) : mapping(next.indent(), childPath);
                } else if (next != null && next.indent() == indent && isListItem(next)) {
                    value = list(indent, l);
                } else {
                    value = null;
                }
            } else {
                value = scalar(rest, l, true);
                if (pos < lines.size() && lines.get(pos).indent() > indent) {
                    problem(lines.get(pos), "unexpected indentation: '" + key + "' already has a value on line "
                            + l.number());
                    skipBelow(indent);
                }
            }
            if (map.containsKey(key)) {
                problem(l, "duplicate key '" + key + "' (first on line " + locations.get(childPath) + ")");
            } else {
                map.put(key, value);
                locations.put(childPath, l.number());
            }
        }
        return map;
    }

    private List<Object> list(int indent, Line owner) {
        List<Object> items = new ArrayList<>();
        while (pos < lines.size()) {
            Line l = lines.get(pos);
            if (l.indent() < indent || (l.indent() == indent && !isListItem(l))) {
                break;
            }
            pos++;
            if (l.indent() > indent) {
                problem(l, "unexpected indentation in the list under line " + owner.number());
                continue;
            }
            String item = l.content().substring(1).strip();
            if (item.isEmpty() || item.startsWith("#")) {
                problem(l, "empty list item (nested lists and mappings in lists are not supported)");
            } else if (item.startsWith("- ") || item.equals("-")) {
                problem(l, "nested lists are not supported");
            } else if (plainKey(item) >= 0) {
                problem(l, "mappings in lists are not supported: list items must be scalars (quote the item if "
                        + "it is one)");
            } else {
                items.add(scalar(item, l, false));
            }
        }
        return items;
    }

    /** Skips the lines indented deeper than {@code indent}: the children of a line already reported. */
    private void skipBelow(int indent) {
        while (pos < lines.size() && lines.get(pos).indent() > indent) {
            pos++;
        }
    }

    private static boolean isListItem(Line l) {
        return l.content().equals("-") || l.content().startsWith("- ");
    }

    /** The index of the colon ending the key of {@code l}, or -1 after reporting why there is none. */
    private int keyEnd(Line l) {
        String c = l.content();
        char first = c.charAt(0);
        if (first == '"' || first == '\'') {
            problem(l, "quoted keys are not supported: keys are letters, digits, '-' and '_'");
            return -1;
        }
        if (first == '?') {
            problem(l, "complex keys (?) are not supported");
            return -1;
        }
        int colon = plainKey(c);
        if (colon < 0) {
            int any = c.indexOf(':');
            if (any > 0 && any + 1 < c.length() && c.charAt(any + 1) != ' ') {
                problem(l, "expected 'key: value' (a space must follow the colon)");
            } else {
                problem(l, "expected 'key: value' or '- item'");
            }
            return -1;
        }
        String key = c.substring(0, colon);
        if (!ConfigFile.isValidKey(key)) {
            problem(l, "invalid key '" + key + "': keys are letters, digits, '-' and '_'");
            return -1;
        }
        return colon;
    }

    /** The index of the first colon followed by a space or the end of {@code s}, or -1. */
    private static int plainKey(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':' && (i + 1 == s.length() || s.charAt(i + 1) == ' ')) {
                return i;
            }
            if (c == '"' || c == '\'' || c == ' ' || c == '#') {
                return -1;
            }
        }
        return -1;
    }

    /** Reads the scalar {@code text} (already stripped) of line {@code l}; null after reporting a problem. */
    private Object scalar(String text, Line l, boolean afterKey) {
        char first = text.charAt(0);
        switch (first) {
            case '"':
                return doubleQuoted(text, l);
            case '\'':
                return singleQuoted(text, l);
            case '[', '{': {
                String bare = stripComment(text);
                if (bare.equals("[]")) {
                    return new ArrayList<>();
                }
                if (bare.equals("{}")) {
                    return new LinkedHashMap<String, Object>();
                }
                problem(l, "flow collections ([a, b] or {a: b}) are not supported: use block style, one '- item' "
                        + "or 'key: value' per line");
                return null;
            }
            case '&':
                problem(l, "anchors (&) are not supported");
                return null;
            case '*':
                problem(l, "aliases (*) are not supported");
                return null;
            case '!':
                problem(l, "tags (!) are not supported");
                return null;
            case '|', '>':
                problem(l, "block scalars (| and >) are not supported: use a quoted string with \\n");
                return null;
            case '@', '`', '%':
                problem(l, "a plain value cannot start with '" + first + "': quote it");
                return null;
            default:
                break;
        }
        String plain = stripComment(text);
        if (afterKey && (plain.startsWith("- ") || plain.equals("-"))) {
            problem(l, "a list item cannot follow a key on the same line: put each '- item' on its own line");
            return null;
        }
        if (plain.contains(": ") || plain.endsWith(":")) {
            problem(l, "': ' inside a plain value: quote the value");
            return null;
        }
        return plain;
    }

    /** {@code text} up to a comment: a {@code #} after a space. */
    private static String stripComment(String text) {
        int hash = text.indexOf(" #");
        return (hash < 0 ? text : text.substring(0, hash)).strip();
    }

    private String doubleQuoted(String text, Line l) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                return trailing(text, i + 1, l) ? out.toString() : null;
            }
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.length()) {
                break;
            }
            char e = text.charAt(i + 1);
            i += 2;
            if (e == 'u') {
                int code = i + 4 <= text.length() ? JsonConfig.hex4(text, i) : -1;
                if (code < 0) {
                    problem(l, "bad \\u escape: four hex digits must follow");
                    return null;
                }
                out.append((char) code);
                i += 4;
            } else if (e == '0') {
                out.append('\0');
            } else if (JsonConfig.escaped(e) >= 0) {
                out.append((char) JsonConfig.escaped(e));
            } else {
                problem(l, "unsupported escape \\" + e + " in a double-quoted string");
                return null;
            }
        }
        problem(l, "unterminated double-quoted string (multi-line strings are not supported)");
        return null;
    }

    private String singleQuoted(String text, Line l) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    out.append('\'');
                    i += 2;
                    continue;
                }
                return trailing(text, i + 1, l) ? out.toString() : null;
            }
            out.append(c);
            i++;
        }
        problem(l, "unterminated single-quoted string (multi-line strings are not supported)");
        return null;
    }

    /** True when only blanks or a comment follow a closing quote at {@code from}; else reports it. */
    private boolean trailing(String text, int from, Line l) {
        String rest = text.substring(from);
        if (rest.isBlank() || (rest.startsWith(" ") && rest.strip().startsWith("#"))) {
            return true;
        }
        problem(l, "unexpected text after the closing quote: " + rest.strip());
        return false;
    }


    private void problem(Line l, String message) {
        found.add(new Problem(l.number(), message));
    }
}
