package dev.weft.http.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a JSON configuration file (RFC 8259, strict: no comments, no trailing commas) into the same tree as
 * {@link YamlSubset}: objects become ordered maps, arrays lists, strings strings, integers {@code Long} (other
 * numbers {@code BigDecimal}), {@code true}/{@code false} booleans and {@code null} null. Keys follow the same
 * rule as in YAML (letters, digits, {@code -} and {@code _}); duplicates are problems. A syntax error stops the
 * parse and is reported as {@code file:line:column: message}.
 */
final class JsonConfig {
    /** Deeper nesting than any configuration needs; the limit keeps a hostile file from exhausting the stack. */
    private static final int MAX_DEPTH = 64;

    private final String text;
    private final String source;
    private final Map<String, Integer> locations;
    private final List<String> problems;
    private int pos;
    private int countedTo;
    private int countedLine = 1;

    private JsonConfig(String text, String source, Map<String, Integer> locations, List<String> problems) {
        this.text = text;
        this.source = source;
        this.locations = locations;
        this.problems = problems;
    }

    /** Parses {@code text}; see {@link YamlSubset#parse} for what goes into {@code locations} and {@code problems}. */
    static Map<String, Object> parse(String text, String source, Map<String, Integer> locations,
                                     List<String> problems) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        JsonConfig parser = new JsonConfig(body, source, locations, problems);
        try {
            parser.skipBlanks();
            if (parser.pos >= body.length()) {
                return new LinkedHashMap<>();
            }
            if (body.charAt(parser.pos) != '{') {
                throw parser.syntax("the document must be an object");
            }
            Map<String, Object> root = parser.object("", 1);
            parser.skipBlanks();
            if (parser.pos < body.length()) {
                throw parser.syntax("unexpected text after the end of the document");
            }
            return root;
        } catch (Syntax e) {
            problems.add(e.getMessage());
            return new LinkedHashMap<>();
        }
    }

    private Object value(String path, int depth) {
        skipBlanks();
        if (pos >= text.length()) {
            throw syntax("unexpected end of file");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(path, depth + 1);
            case '[' -> array(path, depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw syntax("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object(String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw syntax("nested deeper than " + MAX_DEPTH + " levels");
        }
        pos++; // {
        Map<String, Object> map = new LinkedHashMap<>();
        skipBlanks();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipBlanks();
            if (peek() != '"') {
                throw syntax("expected a key in double quotes");
            }
            int line = line(pos);
            String key = string();
            String childPath = path.isEmpty() ? key : path + "." + key;
            skipBlanks();
            expect(':');
            Object value = value(childPath, depth);
            if (!ConfigFile.isValidKey(key)) {
                problems.add(source + ":" + line + ": invalid key \"" + key
                        + "\": keys are letters, digits, '-' and '_'");
            } else if (map.containsKey(key)) {
                problems.add(source + ":" + line + ": duplicate key \"" + key + "\" (first on line "
                        + locations.get(childPath) + ")");
            } else {
                map.put(key, value);
                locations.put(childPath, line);
            }
            skipBlanks();
            char c = peek();
            pos++;
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                pos--;
                throw syntax("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw syntax("nested deeper than " + MAX_DEPTH + " levels");
        }
        pos++; // [
        List<Object> list = new ArrayList<>();
        skipBlanks();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value(path, depth));
            skipBlanks();
            char c = peek();
            pos++;
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                pos--;
                throw syntax("expected ',' or ']'");
            }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                pos--;
                throw syntax("control character in a string: escape it");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            char e = text.charAt(pos++);
            if (e == 'u') {
                int v = pos + 4 <= text.length() ? hex4(text, pos) : -1;
                if (v < 0) {
                    throw syntax("bad \\u escape: four hex digits must follow");
                }
                out.append((char) v);
                pos += 4;
            } else if (escaped(e) >= 0) {
                out.append((char) escaped(e));
            } else {
                pos--;
                throw syntax("invalid escape \\" + e);
            }
        }
        throw syntax("unterminated string");
    }

    /** The character a backslash and {@code e} stand for in a JSON string (hex escapes aside), or -1. */
    static int escaped(char e) {
        return switch (e) {
            case '"', '\\', '/' -> e;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> -1;
        };
    }

    /** The value of the four hex digits at {@code s[at]}, or -1. */
    static int hex4(String s, int at) {
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (Character.isDigit(peek())) {
            while (Character.isDigit(peek())) {
                pos++;
            }
        } else {
            throw syntax("invalid number");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!Character.isDigit(peek())) {
                throw syntax("invalid number: digits must follow '.'");
            }
            while (Character.isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!Character.isDigit(peek())) {
                throw syntax("invalid number: digits must follow the exponent");
            }
            while (Character.isDigit(peek())) {
                pos++;
            }
        }
        String n = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(n);
            } catch (NumberFormatException tooLarge) {
                return new BigDecimal(n);
            }
        }
        return new BigDecimal(n);
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw syntax("unexpected word: expected a value");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw syntax("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipBlanks() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The line of offset {@code at}; counted on from the last call, since the parse only moves forward. */
    private int line(int at) {
        int end = Math.min(at, text.length());
        if (end < countedTo) {
            countedTo = 0;
            countedLine = 1;
        }
        for (int i = countedTo; i < end; i++) {
            if (text.charAt(i) == '\n') {
                countedLine++;
            }
        }
        countedTo = end;
        return countedLine;
    }

    private Syntax syntax(String message) {
        int line = line(pos);
        int lineStart = text.lastIndexOf('\n', Math.min(pos, text.length()) - 1) + 1;
        return new Syntax(source + ":" + line + ":" + (pos - lineStart + 1) + ": " + message);
    }

    /** A syntax error: ends the parse. */
    private static final class Syntax extends RuntimeException {
        Syntax(String message) {
            super(message, null, false, false);
        }
    }
}
