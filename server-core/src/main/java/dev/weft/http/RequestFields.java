package dev.weft.http;

import dev.weft.http.h2.FieldSink;
import dev.weft.http.h2.HpackDecoder;

/**
 * Receives a request's header section, or its trailer section, from the {@link HpackDecoder} and checks it against
 * RFC 9113 sections 8.1 to 8.3: the control data in the four request pseudo-header fields, the rest as a
 * {@link Headers} a handler reads as it would an HTTP/1.1 request's.
 *
 * <p>A request is malformed (section 8.1.1), which the connection answers with a stream error of type
 * PROTOCOL_ERROR, possibly after a 400, when:
 * <ul>
 *   <li>a field name has a character outside the lower-case token characters of RFC 9110 section 5.6.2 (section
 *       8.2.1 requires refusing at least upper case, controls, space, DEL, non-ASCII and a colon after the first
 *       character), or is empty;</li>
 *   <li>a field value has NUL, CR, LF or another control character, or starts or ends with a space or tab;</li>
 *   <li>a pseudo-header field is not one of {@code :method :scheme :authority :path}, appears twice, follows a
 *       regular field, or appears in trailers (section 8.3);</li>
 *   <li>a connection-specific field is present (Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding,
 *       Upgrade), or TE with a value other than {@code trailers} (section 8.2.2);</li>
 *   <li>{@code :method}, {@code :scheme} or {@code :path} is missing, {@code :method} is not a token,
 *       {@code :path} is empty, neither starts with {@code /} nor is {@code *} for OPTIONS, or has a space, a
 *       control or a non-ASCII character; or, for CONNECT, {@code :authority} is missing or {@code :scheme} or
 *       {@code :path} present (sections 8.3.1 and 8.5);</li>
 *   <li>{@code :authority} has userinfo, or Host names a different authority (section 8.3.1; a SHOULD).</li>
 * </ul>
 * Only the first problem is kept. Cookie fields are joined into one with {@code "; "}, as section 8.2.3 requires
 * before a request reaches an application. One instance per stream or reused after {@link #reset}.
 */
final class RequestFields implements FieldSink {
    private static final boolean[] NAME_CHARS = new boolean[256];

    static {
        for (char c : "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz".toCharArray()) {
            NAME_CHARS[c] = true;
        }
    }

    private final Headers headers = new Headers(8);
    private boolean trailers;
    private String method;
    private String scheme;
    private String authority;
    private String path;
    private boolean regularSeen;
    private String malformed;

    /** Prepares for a new header section, or a trailer section when {@code trailers}. */
    void reset(boolean trailers) {
        this.trailers = trailers;
        headers.clear();
        method = null;
        scheme = null;
        authority = null;
        path = null;
        regularSeen = false;
        malformed = null;
    }

    @Override
    public void field(String name, String value) {
        if (malformed != null) {
            return;
        }
        if (!name.isEmpty() && name.charAt(0) == ':') {
            pseudoHeader(name, value);
        } else {
            regularField(name, value);
        }
    }

    private void pseudoHeader(String name, String value) {
        if (trailers) {
            malformed = "pseudo-header field " + name + " in trailers";
            return;
        }
        if (regularSeen) {
            malformed = "pseudo-header field " + name + " after a regular field";
            return;
        }
        if (!validValue(name, value)) {
            return;
        }
        switch (name) {
            case ":method" -> method = once(name, method, value);
            case ":scheme" -> scheme = once(name, scheme, value);
            case ":authority" -> authority = once(name, authority, value);
            case ":path" -> path = once(name, path, value);
            default -> malformed = "unknown pseudo-header field " + name;
        }
    }

    private String once(String name, String previous, String value) {
        if (previous != null) {
            malformed = "pseudo-header field " + name + " repeated";
        }
        return value;
    }

    private void regularField(String name, String value) {
        regularSeen = true;
        if (name.isEmpty()) {
            malformed = "empty field name";
            return;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0xFF || !NAME_CHARS[c]) {
                malformed = "field name " + printable(name) + (c >= 'A' && c <= 'Z' ? " in upper case"
                        : " with an invalid character");
                return;
            }
        }
        if (!validValue(name, value)) {
            return;
        }
        switch (name) {
            case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" ->
                    malformed = "connection-specific field " + name;
            case "te" -> {
                if (!value.equalsIgnoreCase("trailers")) {
                    malformed = "te with a value other than trailers";
                }
            }
            case "cookie" -> {
                String previous = headers.get("cookie");
                if (previous != null) {
                    headers.set("cookie", previous + "; " + value);
                    return;
                }
            }
            default -> {
            }
        }
        headers.add(name, value);
    }

    private boolean validValue(String name, String value) {
        int n = value.length();
        if (n > 0 && (isBlank(value.charAt(0)) || isBlank(value.charAt(n - 1)))) {
            malformed = "value of " + name + " starts or ends with whitespace";
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                malformed = "control character in the value of " + name;
                return false;
            }
        }
        return true;
    }

    /**
     * Checks what can be checked only once the whole section is in. Returns why the request is malformed, or null
     * when it is well-formed.
     */
    String finish() {
        if (malformed != null || trailers) {
            return malformed;
        }
        if (method == null) {
            return "missing :method";
        }
        if (method.equals("CONNECT")) {
            if (authority == null || scheme != null || path != null) {
                return "CONNECT with :scheme or :path, or without :authority";
            }
        } else if (scheme == null || path == null) {
            return scheme == null ? "missing :scheme" : "missing :path";
        } else if (path.isEmpty()) {
            return "empty :path";
        } else if (path.charAt(0) != '/' && !(path.equals("*") && method.equals("OPTIONS"))) {
            return ":path " + printable(path) + " is neither absolute nor * for OPTIONS";
        } else {
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                if (c <= 0x20 || c >= 0x7F) {
                    // as the HTTP/1.1 parser refuses in a request target: a URI has no such character (RFC 3986)
                    return ":path " + printable(path) + " with a character a URI cannot contain";
                }
            }
        }
        if (method.isEmpty()) {
            return "empty :method";
        }
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c > 0xFF || !NAME_CHARS[c] && !(c >= 'A' && c <= 'Z')) {
                return ":method " + printable(method) + " is not a token";
            }
        }
        if (authority != null) {
            if (authority.indexOf('@') >= 0) {
                return ":authority with userinfo";
            }
            String host = headers.get("host");
            if (host != null && !host.equalsIgnoreCase(authority)) {
                return "host " + printable(host) + " differs from :authority " + printable(authority);
            }
        }
        return null;
    }

    String method() {
        return method;
    }

    String scheme() {
        return scheme;
    }

    /** {@code :authority}, or the Host field when there is none; null when neither is present. */
    String authority() {
        return authority != null ? authority : headers.get("host");
    }

    String path() {
        return path;
    }

    /** The regular fields, in order, cookies joined. */
    Headers headers() {
        return headers;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** A name or value for a message: at most 64 characters, controls escaped. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 64) + 2).append('"');
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c >= 0x7F ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.append(s.length() > 64 ? "...\"" : "\"").toString();
    }
}
