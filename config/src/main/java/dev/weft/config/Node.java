package dev.weft.config;

import java.util.List;
import java.util.Map;

/**
 * One value of a configuration tree and where it came from.
 *
 * @param value  a {@code Map<String, Node>} (in document order), a {@code List<Node>}, a String, a Boolean, a
 *               number (Integer, Long, BigInteger, Double, BigDecimal), null, or, in a tree built in code, any value
 *               an accessor can take as it is (a {@code Duration}, an enum constant)
 * @param origin {@code file:line:column}, or null when the tree was built in code
 */
record Node(Object value, String origin) {

    @SuppressWarnings("unchecked")
    Map<String, Node> map() {
        return (Map<String, Node>) value;
    }

    @SuppressWarnings("unchecked")
    List<Node> list() {
        return (List<Node>) value;
    }

    boolean isMap() {
        return value instanceof Map<?, ?>;
    }

    boolean isList() {
        return value instanceof List<?>;
    }

    /** The value without origins, as plain maps and lists: for printing a tree in tests and messages. */
    Object plain() {
        if (value instanceof Map<?, ?>) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            map().forEach((k, v) -> out.put(k, v.plain()));
            return out;
        }
        if (value instanceof List<?>) {
            return list().stream().map(Node::plain).toList();
        }
        return value;
    }

    /** How a value is named in a message: strings quoted, collections by kind. */
    static String describe(Object v) {
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
