package dev.weft.gateway.proxy;

import dev.weft.http.Headers;

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

    /** True when {@code name} is hop-by-hop in a message whose headers are {@code headers}. */
    static boolean is(String name, Headers headers) {
        for (String f : FIELDS) {
            if (f.length() == name.length() && f.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return headers.contains("Connection") && headers.hasToken("Connection", name);
    }
}
