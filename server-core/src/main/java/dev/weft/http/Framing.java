package dev.weft.http;

/**
 * The rules of a response's framing that HTTP/1.1 ({@link Response}) and HTTP/2 ({@link Http2Response},
 * {@link Http2Connection}) share, kept once: which statuses never carry a body (RFC 9110 section 6.4.1), and how a
 * Content-Length a handler set is read.
 */
final class Framing {
    private Framing() {
    }

    /** Whether a response with this status has no content: 1xx, 204 and 304. */
    static boolean bodyless(int status) {
        return status < 200 || status == 204 || status == 304;
    }

    /**
     * The length in a Content-Length value (surrounding whitespace ignored), or -1 when it is not 1 to 18 decimal
     * digits: a value that could overflow a {@code long}, a sign or a list is not a length the server will frame by.
     */
    static long contentLength(String value) {
        String s = value.trim();
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
