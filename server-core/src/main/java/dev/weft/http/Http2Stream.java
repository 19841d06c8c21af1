package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;

import dev.weft.http.h2.FlowControlWindow;
import dev.weft.http.h2.StreamState;

/**
 * One request and its response on an {@link Http2Connection}: what {@link Http2Host#serve} builds the request from
 * and sends the response through. The request side is fixed when the stream opens; the send methods may be called
 * only from the stream's own thread, in order: at most one {@link #sendHeaders} (after any number of
 * {@link #sendInformational}), then {@link #sendData}, then optionally {@link #sendTrailers}.
 *
 * <p>Sending never waits for the socket unless the connection's output is past its bound: frames go into the
 * connection's output and leave in the next write, which {@link #flush} starts if no other thread is writing. It
 * waits for flow-control credit when the stream's or the connection's send window is empty, up to the write
 * timeout. Every send throws an IOException once the stream is reset or the connection is gone.
 */
final class Http2Stream {
    private final Http2Connection conn;
    private final int id;
    private final String method;
    private final String scheme;
    private final String authority;
    private final String path;
    private final Headers headers;
    private final long contentLength;
    private final boolean headerListTooLarge;
    final StreamBody body;

    // guarded by the connection's lock
    StreamState state;
    final FlowControlWindow sendWindow;
    final FlowControlWindow receiveWindow;
    /** Octets the handler has read and the client has not been credited for yet. */
    int unacknowledged;
    boolean responseStarted;
    boolean handlerRunning = true;

    private volatile Runnable onCancel;
    private volatile boolean cancelled;
    private volatile boolean cancelledByServer;

    Http2Stream(Http2Connection conn, int id, StreamState state, RequestFields fields, long contentLength,
            boolean headerListTooLarge, int sendWindow, int receiveWindow, long maxBodyBytes, long readDeadline) {
        this.conn = conn;
        this.id = id;
        this.state = state;
        this.method = fields.method();
        this.scheme = fields.scheme();
        this.authority = fields.authority();
        this.path = fields.path();
        this.headers = fields.headers();
        this.contentLength = contentLength;
        this.headerListTooLarge = headerListTooLarge;
        this.sendWindow = new FlowControlWindow(id, sendWindow);
        this.receiveWindow = new FlowControlWindow(id, receiveWindow);
        this.body = new StreamBody(this, contentLength, maxBodyBytes, readDeadline,
                state == StreamState.HALF_CLOSED_REMOTE);
    }

    public int id() {
        return id;
    }

    /** {@code :method}; null when the header list was too large to be read. */
    public String method() {
        return method;
    }

    /** {@code :scheme}, {@code http} or {@code https}. */
    public String scheme() {
        return scheme;
    }

    /** {@code :authority}, else the host field; null without either. */
    public String authority() {
        return authority;
    }

    /** {@code :path}: the request target in origin form, or {@code *}. */
    public String path() {
        return path;
    }

    /** The regular header fields, names in lower case, cookies joined (RFC 9113 section 8.2.3). */
    public Headers headers() {
        return headers;
    }

    /** The declared content-length; 0 when the HEADERS frame ended the stream, -1 when unknown. */
    public long contentLength() {
        return contentLength;
    }

    /**
     * True when the header list decoded larger than SETTINGS_MAX_HEADER_LIST_SIZE: the request must be answered 431
     * without calling a handler, and its fields are incomplete.
     */
    public boolean headerListTooLarge() {
        return headerListTooLarge;
    }

    /** The request body; see {@link StreamBody} for its failures (408, 413, reset). */
    public InputStream body() {
        return body;
    }

    /** The request's trailer fields once its body has been read to the end; null when there were none. */
    public Headers trailers() {
        return body.trailers();
    }

    /** Sends a 1xx response head now (100 Continue, 103 Early Hints). */
    public void sendInformational(int status, Headers fields) throws IOException {
        conn.sendHeaders(this, status, fields, false, true);
        conn.flush();
    }

    /** Queues the response head; {@code endStream} when the response has no body. */
    public void sendHeaders(int status, Headers fields, boolean endStream) throws IOException {
        conn.sendHeaders(this, status, fields, endStream, false);
    }

    /**
     * Queues body octets as DATA frames cut to the client's frame size and flow-control windows, waiting for credit
     * when a window is empty; {@code endStream} on the last.
     */
    public void sendData(byte[] b, int off, int len, boolean endStream) throws IOException {
        conn.sendData(this, b, off, len, endStream);
    }

    /**
     * Sends a response head and its body (not empty) together, and writes them: one frame each when the client's
     * frame size and windows allow, as for most responses. Ends the stream when {@code endStream}.
     */
    public void sendResponse(int status, Headers fields, byte[] b, int off, int len, boolean endStream)
            throws IOException {
        conn.sendResponse(this, status, fields, b, off, len, endStream);
    }

    /** Queues the trailer section, which ends the stream. */
    public void sendTrailers(Headers fields) throws IOException {
        conn.sendTrailers(this, fields);
    }

    /** Writes what this and the other streams have queued, unless another thread is writing it already. */
    public void flush() throws IOException {
        conn.flush();
    }

    /** Abandons the response with RST_STREAM (INTERNAL_ERROR): the client sees it cut short. */
    public void abort() {
        conn.abort(this);
    }

    /**
     * Runs {@code callback} once when the stream is cancelled: reset by the client, or the connection closed or
     * broken. Runs at once when that already happened.
     */
    public void onCancel(Runnable callback) {
        onCancel = callback;
        if (cancelled) {
            callback.run();
        }
    }

    /** True when the cancellation came from the server closing the connection at its shutdown deadline. */
    public boolean cancelledByServer() {
        return cancelledByServer;
    }

    /** The request as a short text for logs and the shutdown report: {@code GET /x (HTTP/2 stream 3)}. */
    @Override
    public String toString() {
        return method + " " + path + " (HTTP/2 stream " + id + ")";
    }

    void cancel(boolean byServer, IOException why) {
        if (cancelled) {
            return;
        }
        cancelledByServer = byServer;
        cancelled = true;
        body.fail(why);
        Runnable r = onCancel;
        if (r != null) {
            r.run();
        }
    }

    /** True when the client will not see the response: the stream was reset or the connection is gone. */
    boolean isGone() {
        return cancelled || conn.isClosed();
    }

    boolean isCancelled() {
        return cancelled;
    }

    void continueIfExpected() throws IOException {
        if (headers.hasToken("expect", "100-continue")) {
            conn.continueIfExpected(this);
        }
    }

    void consumed(int n) {
        conn.consumed(this, n);
    }
}
