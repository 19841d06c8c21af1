package dev.weft.http;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLSession;

/**
 * One HTTP request as the server parsed it, with what Go's {@code http.Request} and its connection expose.
 *
 * <p>The server builds requests; {@link #newRequest} builds one for tests, as Go's {@code httptest.NewRequest}.
 * A request belongs to one handler call on one thread and is not safe to share. Its body stream must not be used
 * after the handler returns.
 */
public final class Request {
    private final String method;
    private final String target;
    private final String protocol;
    private final Headers headers;
    private final InputStream body;
    private final long contentLength;
    private final String path;
    private final String rawQuery;
    private final String host;
    private final InetSocketAddress remoteAddress;
    private final InetSocketAddress localAddress;
    private final SSLSession tlsSession;
    private final Context context;
    private Headers trailers;
    private Map<String, String> pathValues;
    private Map<String, Object> attributes;
    private String pattern;

    /**
     * Builds a request. {@code target} is the request-target as received (origin-form {@code /a?b}, or
     * absolute-form {@code http://h/a?b}); {@code path}, {@code rawQuery} and {@code host} are derived from it and
     * from {@code hostHeader}, the Host field's value (null without one). {@code contentLength} is -1 when the body
     * is chunked, 0 when there is none.
     */
    Request(String method, String target, String protocol, Headers headers, String hostHeader, InputStream body,
            long contentLength, InetSocketAddress remoteAddress, InetSocketAddress localAddress, SSLSession tlsSession,
            Context context) {
        this.method = method;
        this.target = target;
        this.protocol = protocol;
        this.headers = headers;
        this.body = body;
        this.contentLength = contentLength;
        this.remoteAddress = remoteAddress;
        this.localAddress = localAddress;
        this.tlsSession = tlsSession;
        this.context = context;
        String rest = target;
        String authority = null;
        if (!target.startsWith("/") && !"*".equals(target)) {
            int scheme = target.indexOf("://");
            if (scheme > 0) {
                int slash = target.indexOf('/', scheme + 3);
                int q = target.indexOf('?', scheme + 3);
                int end = slash >= 0 ? slash : (q >= 0 ? q : target.length());
                authority = target.substring(scheme + 3, end);
                rest = end < target.length() ? target.substring(end) : "/";
                if (rest.startsWith("?")) {
                    rest = "/" + rest;
                }
            }
        }
        int q = rest.indexOf('?');
        this.path = q < 0 ? rest : rest.substring(0, q);
        this.rawQuery = q < 0 ? "" : rest.substring(q + 1);
        this.host = authority != null ? authority : hostHeader;
    }

    /**
     * A request for tests and in-process calls: no connection, a body read from {@code body} (null for none),
     * from 127.0.0.1.
     */
    public static Request newRequest(String method, String target, Headers headers, InputStream body) {
        Headers h = headers == null ? new Headers() : headers;
        if (!h.contains("Host")) {
            h.add("Host", "example.com");
        }
        InputStream in = body == null ? InputStream.nullInputStream() : body;
        long length = body == null ? 0 : -1;
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        return new Request(method, target, "HTTP/1.1", h, h.get("Host"), in, length, loopback, loopback, null,
                new Context());
    }

    /** A body-less request for tests: {@code newRequest("GET", "/x")}. */
    public static Request newRequest(String method, String target) {
        return newRequest(method, target, null, null);
    }

    /** The method, as sent ({@code GET}, {@code POST}, ...): methods are case-sensitive. */
    public String method() {
        return method;
    }

    /** The request-target exactly as received. */
    public String target() {
        return target;
    }

    /** {@code HTTP/1.1}, {@code HTTP/1.0}, or {@code HTTP/2.0} for a request on an HTTP/2 stream. */
    public String protocol() {
        return protocol;
    }

    /** The path of the target, still percent-encoded, without the query. */
    public String path() {
        return path;
    }

    /** The query after {@code ?}, still encoded; empty when there is none. */
    public String rawQuery() {
        return rawQuery;
    }

    /** The first value of query parameter {@code name}, percent-decoded, or null. */
    public String queryParam(String name) {
        return QueryString.first(rawQuery, name);
    }

    /** The host the client asked for: the absolute-form authority, else the Host header. */
    public String host() {
        return host;
    }

    public Headers headers() {
        return headers;
    }

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /**
     * The body. It ends at the end of the request's body (never reads into the next pipelined request) and throws
     * an {@link java.io.IOException} when the body exceeds the configured limit or its framing is broken.
     */
    public InputStream body() {
        return body;
    }

    /** The declared body length; -1 for a chunked body, 0 for none. */
    public long contentLength() {
        return contentLength;
    }

    /** The trailer fields of a chunked body; empty until the body has been read to its end. */
    public Headers trailers() {
        return trailers == null ? new Headers(1) : trailers;
    }

    void setTrailers(Headers trailers) {
        this.trailers = trailers;
    }

    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The TLS session, or null on a plain connection. */
    public SSLSession tlsSession() {
        return tlsSession;
    }

    public boolean isTls() {
        return tlsSession != null;
    }

    public Context context() {
        return context;
    }

    /** The value the matched pattern's wildcard {@code {name}} took, or null. */
    public String pathValue(String name) {
        return pathValues == null ? null : pathValues.get(name);
    }

    public void setPathValue(String name, String value) {
        if (pathValues == null) {
            pathValues = new HashMap<>(4);
        }
        pathValues.put(name, value);
    }

    /** The ServeMux pattern that matched, as registered ({@code GET /products/{id}}), or null. */
    public String pattern() {
        return pattern;
    }

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    /** A value a middleware attached to this request for the handlers after it, or null. */
    public Object attribute(String name) {
        return attributes == null ? null : attributes.get(name);
    }

    public void setAttribute(String name, Object value) {
        if (attributes == null) {
            attributes = new HashMap<>(4);
        }
        attributes.put(name, value);
    }

    @Override
    public String toString() {
        return method + " " + target + " " + protocol;
    }
}
