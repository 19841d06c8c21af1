package dev.weft.http.h2;

import java.nio.charset.StandardCharsets;

/**
 * The client connection preface, {@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n} (RFC 9113 section 3.4): the first 24 octets
 * a client sends on an HTTP/2 connection, before its SETTINGS frame.
 *
 * <p>The HTTP/1.1 connection uses {@link #matches} and {@link #isPrefix} on its first bytes to recognise cleartext
 * HTTP/2 by prior knowledge (section 3.3) on the same port: the preface is not a valid HTTP/1.1 request (its version
 * is 2.0), so no HTTP/1.1 client is mistaken for one.
 */
public final class ConnectionPreface {
    /** The length of the preface in octets. */
    public static final int LENGTH = 24;

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private ConnectionPreface() {
    }

    /** True when {@code buf[from, to)} starts with the whole preface. */
    public static boolean matches(byte[] buf, int from, int to) {
        return to - from >= LENGTH && isPrefix(buf, from, from + LENGTH);
    }

    /**
     * True when {@code buf[from, to)} could still be the start of the preface: every byte so far matches (an empty
     * range does). Bytes beyond the preface's length are not looked at.
     */
    public static boolean isPrefix(byte[] buf, int from, int to) {
        int n = Math.min(to - from, LENGTH);
        for (int i = 0; i < n; i++) {
            if (buf[from + i] != PREFACE[i]) {
                return false;
            }
        }
        return true;
    }

    /** A copy of the preface's octets. */
    public static byte[] bytes() {
        return PREFACE.clone();
    }
}
