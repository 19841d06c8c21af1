package dev.weft.http.codec;

import dev.weft.http.Headers;

/**
 * The request line and header section of one request, as {@link RequestHeadParser} found them, with the framing
 * facts the connection needs. Mutable and reused across the requests of one connection.
 */
public final class RequestHead {
    /** {@link #contentLength} when the request declares no Content-Length. */
    public static final long NO_LENGTH = -1;

    public String method;
    public String target;
    /** {@code HTTP/1.1} or {@code HTTP/1.0} (the same String instances each time). */
    public String version;
    public final Headers headers;
    /** The declared Content-Length, or {@link #NO_LENGTH}. */
    public long contentLength;
    /** The body is {@code Transfer-Encoding: chunked}. */
    public boolean chunked;
    /** The connection may carry another request after this one (HTTP/1.1 without close, 1.0 with keep-alive). */
    public boolean keepAlive;
    /** The client sent {@code Expect: 100-continue} and waits for a 100 before sending the body. */
    public boolean expectContinue;

    public RequestHead() {
        this(new Headers());
    }

    public RequestHead(Headers headers) {
        this.headers = headers;
    }

    public boolean isHttp11() {
        return version == RequestHeadParser.HTTP_1_1;
    }

    /** True when a body follows the head. */
    public boolean hasBody() {
        return chunked || contentLength > 0;
    }

    void reset() {
        method = null;
        target = null;
        version = null;
        headers.clear();
        contentLength = NO_LENGTH;
        chunked = false;
        keepAlive = false;
        expectContinue = false;
    }
}
