package dev.weft.gateway.proxy;

/**
 * The header fields that describe one connection rather than the message (RFC 9110 section 7.6.1), which a proxy
 * must not forward: the fixed list, plus every field the message's own {@code Connection} header names.
 */
final class HopByHop {
    private static final String[] FIELDS = {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE",
        "Trailer", "Transfer-Encoding", "Upgrade"
    };

    private HopByHop() {}

    /**
     * True when {@code name} is hop-by-hop in a message whose {@code Connection} header is {@code connection}
     * (null when it has none). Taking the header's value rather than the headers saves a scan per field.
     */
    static boolean is(String name, String connection) {
        int n = name.length();
        for (String f : FIELDS) {
            if (f.length() == n && f.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return connection != null && hasToken(connection, name);
    }

    /** True when the comma-separated {@code list} contains {@code token}, ignoring case and blanks. */
    private static boolean hasToken(String list, String token) {
        int start = 0;
        int len = list.length();
        while (start < len) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? len : comma;
            int s = start;
            int e = end;
            while (s < e && (list.charAt(s) == ' ' || list.charAt(s) == '\t')) {
                s++;
            }
            while (e > s && (list.charAt(e - 1) == ' ' || list.charAt(e - 1) == '\t')) {
                e--;
            }
            if (e - s == token.length() && list.regionMatches(true, s, token, 0, token.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }
}
