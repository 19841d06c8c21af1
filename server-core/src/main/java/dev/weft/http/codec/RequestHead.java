package dev.weft.http.codec;

/**
 * The request line of one request and the framing facts of its header section, as {@link RequestHeadParser} found
 * them; the fields themselves went to the parser's {@link FieldSink}.
 *
 * @param method         the method, case-sensitive ({@code GET}, {@code POST}, ...)
 * @param target         the request-target as received: origin-form, absolute-form, or {@code *} for OPTIONS
 * @param http11         HTTP/1.1 (else HTTP/1.0; other versions are refused)
 * @param host           the Host field's value, or null (HTTP/1.0 without one)
 * @param contentLength  the declared Content-Length, or {@link #NO_LENGTH}
 * @param chunked        the body is {@code Transfer-Encoding: chunked}
 * @param keepAlive      the connection may carry another request after this one (HTTP/1.1 without
 *                       {@code Connection: close}, HTTP/1.0 with {@code Connection: keep-alive})
 * @param expectContinue the client sent {@code Expect: 100-continue} and waits for a 100 before sending the body
 * @param end            the index, in the parsed array, just after the empty line that ends the head
 */
public record RequestHead(String method, String target, boolean http11, String host, long contentLength,
                          boolean chunked,
                          boolean keepAlive, boolean expectContinue, int end) {
    /** {@link #contentLength} when the request declares none. */
    public static final long NO_LENGTH = -1;
    public static final String HTTP_1_1 = "HTTP/1.1";
    public static final String HTTP_1_0 = "HTTP/1.0";

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    public String version() {
        return http11 ? HTTP_1_1 : HTTP_1_0;
    }

    /** True for a HEAD request, whose response has no body. */
    public boolean isHead() {
        return "HEAD".equals(method);
    }

    /** True when a body follows the head. */
    public boolean hasBody() {
        return chunked || contentLength > 0;
    }
}
