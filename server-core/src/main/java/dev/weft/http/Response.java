package dev.weft.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection's {@link ResponseWriter}: writes the status line and headers straight into the connection's output
 * buffer when the response is committed, buffers up to {@value #BODY_BUFFER} bytes of body behind them, and only
 * then decides the framing. A response that ends within the buffer gets {@code Content-Length}; one that outgrows
 * it, or is flushed, goes out chunked (HTTP/1.1) or close-delimited (HTTP/1.0). The framing lines are inserted
 * between the head and the buffered body, a move of a few dozen bytes, so a small response is assembled in place
 * with no copy of its own and several pipelined responses leave in one write.
 *
 * <p>One instance per connection, reset for each request.
 */
final class Response implements ResponseWriter {
    private static final Logger LOG = LoggerFactory.getLogger(Response.class);

    /** Body bytes held back to learn the length before the framing is chosen. */
    static final int BODY_BUFFER = 8 * 1024;
    /** Room kept free behind a buffered body for the framing lines. */
    private static final int FRAMING_ROOM = 128;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");
    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CLOSE = ascii("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[][] STATUS_LINES = new byte[1000][];

    static {
        for (int s = 100; s < 600; s++) {
            String reason = Status.reason(s);
            if (!reason.isEmpty()) {
                STATUS_LINES[s] = ascii("HTTP/1.1 " + s + " " + reason + "\r\n");
            }
        }
    }

    private static final int NEW = 0;
    private static final int BUFFERING = 1;
    private static final int STREAMING = 2;
    private static final int DONE = 3;

    private final Connection conn;
    private final Headers headers = new Headers(8);
    private final byte[] serverLine;
    private OutputStream bodyStream;
    private boolean http11;
    private boolean headRequest;
    private int status;
    private int mode;
    /** Where this response's head starts in the output buffer while its body is buffered; -1 otherwise. */
    int headStart = -1;
    private int bodyStart;
    private long declared;
    private long written;
    private boolean chunked;
    private boolean closeAfter;

    Response(Connection conn, String serverHeader) {
        this.conn = conn;
        this.serverLine = serverHeader.isEmpty() ? new byte[0] : ascii("Server: " + serverHeader + "\r\n");
    }

    void reset(boolean http11, boolean headRequest) {
        headers.clear();
        this.http11 = http11;
        this.headRequest = headRequest;
        status = 200;
        mode = NEW;
        headStart = -1;
        declared = -1;
        written = 0;
        chunked = false;
        closeAfter = false;
    }

    /** The connection must close after this response (framing or state demands it). */
    boolean closeAfter() {
        return closeAfter;
    }

    /** Body bytes the handler wrote. */
    long written() {
        return written;
    }

    void shift(int delta) {
        if (headStart >= 0) {
            headStart += delta;
            bodyStart += delta;
        }
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public void writeHeader(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("invalid HTTP status " + status);
        }
        if (mode != NEW) {
            LOG.warn("superfluous writeHeader({}) ignored: the response was already committed with {}", status,
                    this.status);
            return;
        }
        if (status < 200 && status != 101) {
            informational(status);
            return;
        }
        this.status = status;
        commit();
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        if (mode == NEW) {
            commit();
        } else if (mode == DONE) {
            throw new IOException("the response is complete");
        }
        if (bodyless(status)) {
            if (length > 0) {
                throw new IOException("status " + status + " does not allow a body");
            }
            return;
        }
        if (declared >= 0 && written + length > declared) {
            throw new IOException("body longer than the declared Content-Length " + declared);
        }
        written += length;
        if (headRequest) {
            return;
        }
        if (mode == BUFFERING) {
            if (conn.outLen - bodyStart + length <= BODY_BUFFER && fits(length)) {
                System.arraycopy(bytes, offset, conn.out, conn.outLen, length);
                conn.outLen += length;
                return;
            }
            finishHead(false);
        }
        if (length == 0) {
            return;
        }
        if (chunked) {
            conn.appendChunkSize(length);
            conn.append(bytes, offset, length);
            conn.append(CRLF, 0, 2);
        } else {
            conn.append(bytes, offset, length);
        }
    }

    /** True when {@code length} more body bytes fit behind the buffered ones, flushing earlier responses if needed. */
    private boolean fits(int length) throws IOException {
        if (conn.outLen + length + FRAMING_ROOM <= conn.out.length) {
            return true;
        }
        if (headStart > 0) {
            conn.flushOutput();
        }
        return conn.outLen + length + FRAMING_ROOM <= conn.out.length;
    }

    @Override
    public void write(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        write(b, 0, b.length);
    }

    @Override
    public void flush() throws IOException {
        if (mode == NEW) {
            commit();
        }
        if (mode == BUFFERING) {
            finishHead(false);
        }
        conn.flushOutput();
    }

    @Override
    public OutputStream body() {
        if (bodyStream == null) {
            bodyStream = new BodyStream();
        }
        return bodyStream;
    }

    @Override
    public boolean committed() {
        return mode != NEW;
    }

    @Override
    public int status() {
        return status;
    }

    /** Completes the response after the handler returned: framing, the last chunk. */
    void finish() throws IOException {
        if (mode == NEW) {
            commit();
        }
        if (mode == BUFFERING) {
            finishHead(true);
        } else if (mode == STREAMING) {
            if (chunked) {
                conn.append(LAST_CHUNK, 0, LAST_CHUNK.length);
            }
        }
        if (declared >= 0 && written != declared && !headRequest && !bodyless(status)) {
            closeAfter = true;
        }
        mode = DONE;
    }

    /**
     * Discards what this response buffered and answers {@code status} with a short text body instead, closing the
     * connection afterwards; of the handler's headers only {@link RequestId#HEADER} stays. Only valid while
     * {@link #committed()} is false or the head is still buffered.
     */
    boolean replaceWithError(int status, String message) throws IOException {
        if (mode == STREAMING || mode == DONE) {
            return false;
        }
        if (headStart >= 0) {
            conn.outLen = headStart;
        }
        String requestId = headers.get(RequestId.HEADER);
        reset(http11, headRequest);
        if (requestId != null) {
            headers.set(RequestId.HEADER, requestId);
        }
        closeAfter = true;
        this.status = status;
        headers.set("Content-Type", "text/plain; charset=utf-8");
        write(status + " " + Status.reason(status) + (message == null ? "" : ": " + message) + "\n");
        finish();
        return true;
    }

    /** Abandons a response whose head already went out: the connection will be closed. */
    void abort() {
        closeAfter = true;
        mode = DONE;
        headStart = -1;
    }

    private void commit() {
        String cl = headers.get("Content-Length");
        if (cl != null) {
            declared = parseLength(cl);
            if (declared < 0) {
                LOG.warn("ignoring malformed Content-Length {} set by the handler", cl);
            }
        }
        if (headers.hasToken("Connection", "close")) {
            closeAfter = true;
        }
        conn.ensureOut(headLength() + FRAMING_ROOM);
        headStart = conn.outLen;
        writeHeadLines(status, true);
        bodyStart = conn.outLen;
        mode = BUFFERING;
    }

    /**
     * Sends a 1xx response now with the headers set so far, which stay for the final response (as in Go); HTTP/1.0
     * clients get none (RFC 9110 section 15.2).
     */
    private void informational(int status) {
        if (!http11) {
            return;
        }
        try {
            conn.ensureOut(headLength() + 2);
            writeHeadLines(status, false);
            conn.put(CRLF);
            conn.flushOutput();
        } catch (IOException e) {
            LOG.debug("could not send {} informational response", status, e);
        }
    }

    private int headLength() {
        int n = STATUS_LINES[status] != null ? STATUS_LINES[status].length : 32;
        for (int i = 0; i < headers.size(); i++) {
            n += headers.name(i).length() + headers.value(i).length() + 4;
        }
        return n + 40 + serverLine.length;
    }

    /** The status line and the handler's headers; with {@code standard}, {@code Date} and {@code Server} too. */
    private void writeHeadLines(int status, boolean standard) {
        byte[] line = STATUS_LINES[status];
        conn.put(line != null ? line : ascii("HTTP/1.1 " + status + " " + Status.reason(status) + "\r\n"));
        boolean date = false;
        boolean server = false;
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                    || name.equalsIgnoreCase("Connection")) {
                continue;
            }
            date |= name.equalsIgnoreCase("Date");
            server |= name.equalsIgnoreCase("Server");
            conn.putField(name, headers.value(i));
        }
        if (standard && !date) {
            conn.put(DateHeader.line());
        }
        if (standard && !server) {
            conn.put(serverLine);
        }
    }

    /** Chooses the framing, writes it between the head and the buffered body, and leaves buffering mode. */
    private void finishHead(boolean complete) throws IOException {
        closeAfter |= conn.mustCloseAfterResponse();
        int bodyLen = conn.outLen - bodyStart;
        long length = -1;
        if (bodyless(status)) {
            length = -1;
        } else if (complete) {
            length = declared >= 0 ? declared : written;
        } else if (declared >= 0) {
            length = declared;
        } else if (headRequest) {
            length = -1;
        } else if (http11) {
            chunked = true;
        } else {
            closeAfter = true;
        }
        int n = 2;
        if (length >= 0) {
            n += CONTENT_LENGTH.length + Connection.decimalDigits(length) + 2;
        } else if (chunked) {
            n += CHUNKED.length;
        }
        if (closeAfter) {
            n += CLOSE.length;
        } else if (!http11) {
            n += KEEP_ALIVE.length;
        }
        if (chunked && bodyLen > 0) {
            n += Connection.hexDigits(bodyLen) + 2;
        }
        byte[] f = conn.out;
        System.arraycopy(f, bodyStart, f, bodyStart + n, bodyLen);
        int p = bodyStart;
        if (length >= 0) {
            p = copy(CONTENT_LENGTH, f, p);
            p = Connection.putDecimal(f, p, length);
            f[p++] = '\r';
            f[p++] = '\n';
        } else if (chunked) {
            p = copy(CHUNKED, f, p);
        }
        if (closeAfter) {
            p = copy(CLOSE, f, p);
        } else if (!http11) {
            p = copy(KEEP_ALIVE, f, p);
        }
        f[p++] = '\r';
        f[p++] = '\n';
        if (chunked && bodyLen > 0) {
            p = Connection.putHex(f, p, bodyLen);
            f[p++] = '\r';
            f[p++] = '\n';
        }
        conn.outLen += n;
        if (chunked && bodyLen > 0) {
            conn.put(CRLF);
        }
        headStart = -1;
        mode = STREAMING;
    }

    private static int copy(byte[] src, byte[] dst, int at) {
        System.arraycopy(src, 0, dst, at, src.length);
        return at + src.length;
    }

    private static boolean bodyless(int status) {
        return status < 200 || status == 204 || status == 304;
    }

    private static long parseLength(String v) {
        String s = v.trim();
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

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The body as a stream; closing it does nothing, the server completes the response. */
    private final class BodyStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            Response.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Response.this.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            Response.this.flush();
        }

        @Override
        public void close() {
        }
    }
}
