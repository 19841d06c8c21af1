package dev.weft.gateway.proxy;

import dev.weft.http.codec.FieldValues;

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
        return connection != null && FieldValues.hasToken(connection, name); // the codec's list syntax
    }
}
