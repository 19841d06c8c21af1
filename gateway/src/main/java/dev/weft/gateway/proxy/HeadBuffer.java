package dev.weft.gateway.proxy;

import java.util.Arrays;

/**
 * Builds a request head as bytes directly: header text is ISO-8859-1 by definition, so each char is one byte and
 * no StringBuilder, String or encoder copy stands between the fields and the socket.
 */
final class HeadBuffer {
    private byte[] bytes;
    private int length;

    HeadBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    /** Appends {@code s}; its chars are ISO-8859-1, so each becomes its low byte (a plain array copy). */
    @SuppressWarnings("deprecation")
    HeadBuffer text(String s) {
        int n = s.length();
        ensure(n);
        s.getBytes(0, n, bytes, length);
        length += n;
        return this;
    }

    HeadBuffer number(long v) {
        return text(Long.toString(v));
    }

    HeadBuffer field(String name, String value) {
        return text(name).text(": ").text(value).crlf();
    }

    HeadBuffer crlf() {
        ensure(2);
        bytes[length++] = '\r';
        bytes[length++] = '\n';
        return this;
    }

    /** The bytes written; the array may be longer, see {@link #length()}. */
    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
