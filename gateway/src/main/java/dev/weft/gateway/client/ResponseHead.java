package dev.weft.gateway.client;

import dev.weft.http.Headers;

/**
 * The status line and header fields of an upstream response.
 *
 * @param http11  true for HTTP/1.1, false for HTTP/1.0
 * @param status  the status code
 * @param reason  the reason phrase, possibly empty
 * @param headers the header fields in order
 */
public record ResponseHead(boolean http11, int status, String reason, Headers headers) {
    /** True when the response has no body whatever its headers say (RFC 9112 section 6.3). */
    public boolean bodyless(String requestMethod) {
        return status < 200 || status == 204 || status == 304 || "HEAD".equals(requestMethod);
    }

    /** True when the upstream allows the connection to be reused after this response. */
    public boolean keepAlive() {
        if (headers.hasToken("Connection", "close")) {
            return false;
        }
        return http11 || headers.hasToken("Connection", "keep-alive");
    }
}
