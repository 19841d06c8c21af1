package dev.weft.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Reads {@code application/x-www-form-urlencoded} query strings without building a map first. */
final class QueryString {
    private QueryString() {}

    /** The first value of {@code name} in {@code query}, decoded; null when absent; empty for {@code ?name}. */
    static String first(String query, String name) {
        int start = 0;
        int n = query.length();
        while (start < n) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? n : amp;
            int eq = query.indexOf('=', start);
            int keyEnd = eq < 0 || eq > end ? end : eq;
            String key = decode(query.substring(start, keyEnd));
            if (key.equals(name)) {
                return keyEnd == end ? "" : decode(query.substring(keyEnd + 1, end));
            }
            start = end + 1;
        }
        return null;
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
