package dev.weft.gateway.client;

import dev.weft.http.Headers;

/**
 * The status line and header fields of an upstream response, with the fields that decide framing and keep-alive
 * picked out while parsing, so that nothing scans the headers for them again.
 *
 * @param http11           true for HTTP/1.1, false for HTTP/1.0
 * @param status           the status code
 * @param reason           the reason phrase, possibly empty
 * @param headers          the header fields in order
 * @param connection       the Connection field, or null
 * @param contentLength    the Content-Length field, or null
 * @param contentLengths   how many Content-Length fields there were
 * @param transferEncoding the Transfer-Encoding field, or null
 */
public record ResponseHead(boolean http11, int status, String reason, Headers headers, String connection,
                           String contentLength, int contentLengths, String transferEncoding) {
    /** True when the response has no body whatever its headers say (RFC 9112 section 6.3). */
    public boolean bodyless(String requestMethod) {
        return status < 200 || status == 204 || status == 304 || "HEAD".equals(requestMethod);
    }

    /** True when the upstream allows the connection to be reused after this response. */
    public boolean keepAlive() {
        if (connection == null) {
            return http11;
        }
        String c = connection.toLowerCase(java.util.Locale.ROOT);
        if (c.contains("close")) {
            return false;
        }
        return http11 || c.contains("keep-alive");
    }
}
