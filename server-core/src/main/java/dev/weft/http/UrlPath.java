package dev.weft.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** URL path helpers for {@link ServeMux}: Go's {@code cleanPath} and {@code url.PathUnescape}. */
final class UrlPath {
    private UrlPath() {}

    /**
     * True when {@link #clean} would return {@code path} unchanged: it starts with {@code /} and has no empty,
     * {@code .} or {@code ..} segment before its end. One pass, no allocation: every request pays for it.
     */
    static boolean isClean(String path) {
        int n = path.length();
        if (n == 0 || path.charAt(0) != '/') {
            return false;
        }
        int segmentStart = 1;
        for (int i = 1; i <= n; i++) {
            if (i == n || path.charAt(i) == '/') {
                int len = i - segmentStart;
                if (len == 0 && i < n) {
                    return false; // "//"
                }
                if (len == 1 && path.charAt(segmentStart) == '.') {
                    return false;
                }
                if (len == 2 && path.charAt(segmentStart) == '.' && path.charAt(segmentStart + 1) == '.') {
                    return false;
                }
                segmentStart = i + 1;
            }
        }
        return true;
    }

    /**
     * The canonical form of {@code path}, as Go's ServeMux computes it: rooted, repeated slashes collapsed,
     * {@code .} segments dropped, each {@code ..} removing the segment before it (never climbing above the
     * root), and a trailing slash kept when there was one.
     */
    static String clean(String path) {
        if (isClean(path)) {
            return path;
        }
        String p = path.startsWith("/") ? path : "/" + path;
        StringBuilder out = new StringBuilder(p.length());
        int n = p.length();
        int i = 0;
        while (i < n) {
            while (i < n && p.charAt(i) == '/') {
                i++;
            }
            int start = i;
            while (i < n && p.charAt(i) != '/') {
                i++;
            }
            int len = i - start;
            if (len == 0 || (len == 1 && p.charAt(start) == '.')) {
                continue;
            }
            if (len == 2 && p.charAt(start) == '.' && p.charAt(start + 1) == '.') {
                int cut = out.lastIndexOf("/");
                out.setLength(Math.max(cut, 0));
                continue;
            }
            out.append('/').append(p, start, i);
        }
        if (out.isEmpty()) {
            return "/";
        }
        if (p.charAt(n - 1) == '/') {
            out.append('/');
        }
        return out.toString();
    }

    /**
     * {@code s} with its {@code %XX} escapes decoded as UTF-8 ({@code +} stays a plus sign); {@code s} itself when
     * it has no escape or a malformed one.
     */
    static String unescape(String s) {
        return unescape(s, 0, s.length());
    }

    /** {@link #unescape(String)} of {@code s.substring(from, to)}, allocating only when there is an escape. */
    static String unescape(String s, int from, int to) {
        int percent = s.indexOf('%', from);
        if (percent < 0 || percent >= to) {
            return s.substring(from, to);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < to ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    return s.substring(from, to);
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                int cp = s.codePointAt(i);
                byte[] encoded = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(cp) - 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * {@code path} with every character that may not appear in a URI path percent-encoded (as UTF-8); {@code %}
     * is kept, since the path is already escaped. Redirects use it so that a {@code Location} can never be read as
     * something else, such as {@code /\host}, which browsers take for {@code //host}.
     */
    static String escapeForLocation(String path) {
        int i = 0;
        while (i < path.length() && isPathChar(path.charAt(i))) {
            i++;
        }
        if (i == path.length()) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length() + 16).append(path, 0, i);
        byte[] rest = path.substring(i).getBytes(StandardCharsets.UTF_8);
        for (byte b : rest) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && isPathChar(c)) {
                out.append(c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** RFC 3986 pchar, plus {@code /} and {@code %}. */
    private static boolean isPathChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@/%".indexOf(c) >= 0;
    }
}
