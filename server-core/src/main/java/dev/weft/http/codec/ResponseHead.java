package dev.weft.http.codec;

/**
 * The status line of one response and how its body is delimited, as {@link ResponseHeadParser} found them; the
 * fields themselves went to the parser's {@link FieldSink}.
 *
 * @param http11        HTTP/1.1 (else HTTP/1.0; other versions are refused)
 * @param status        the status code, 100 to 599
 * @param reason        the reason phrase, possibly empty
 * @param framing       how the body that follows the head is delimited
 * @param contentLength the length of the body when {@link Framing#LENGTH}; else the declared Content-Length
 *                      (a HEAD or 304 response may carry one), or -1
 * @param keepAlive     the connection may carry another exchange after this response's body: HTTP/1.1 without
 *                      {@code Connection: close}, HTTP/1.0 with {@code Connection: keep-alive}; never with
 *                      {@link Framing#UNTIL_CLOSE} nor after {@code 101 Switching Protocols}
 * @param end           the index, in the parsed array, just after the empty line that ends the head
 */
public record ResponseHead(boolean http11, int status, String reason, Framing framing, long contentLength,
                           boolean keepAlive, int end) {
    /** How a response's body is delimited (RFC 9112 section 6.3). */
    public enum Framing {
        /** No body: a response to HEAD, a 1xx, 204 or 304, whatever its fields say. */
        NONE,
        /** Exactly {@link ResponseHead#contentLength()} bytes. */
        LENGTH,
        /** Chunked: decode it with a {@link ChunkedDecoder}. */
        CHUNKED,
        /** Everything until the server closes the connection, which cannot be reused. */
        UNTIL_CLOSE
    }

    /**
     * True for an interim response (1xx other than 101): it has no body, and the final response to the same
     * request follows it on the connection.
     */
    public boolean interim() {
        return status < 200 && status != 101;
    }
}
