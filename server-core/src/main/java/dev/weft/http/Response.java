package dev.weft.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.http.codec.FieldValues;

/**
 * The connection's {@link ResponseWriter}: the status line and headers go into the connection's
 * {@link OutputBuffer} when the response is committed, and up to {@value #BODY_BUFFER} bytes of body are held behind
 * them; only then is the framing chosen. A response that ends within that gets {@code Content-Length}; one that
 * outgrows it, or is flushed, goes out chunked (HTTP/1.1) or close-delimited (HTTP/1.0). What the bytes look like on
 * the wire is the buffer's business; what they mean (status, headers, length, when to close) is this class's.
 *
 * <p>One instance per connection, reset for each request.
 */
final class Response implements ResponseWriter {
    private static final Logger LOG = LoggerFactory.getLogger(Response.class);

    /** Body bytes held back to learn the length before the framing is chosen. */
    static final int BODY_BUFFER = 8 * 1024;

    private static final byte[] CLOSE = OutputBuffer.ascii("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE = OutputBuffer.ascii("Connection: keep-alive\r\n");
    private static final byte[][] STATUS_LINES = new byte[1000][];

    static {
        for (int s = 100; s < 600; s++) {
            String reason = Status.reason(s);
            if (!reason.isEmpty()) {
                STATUS_LINES[s] = statusLine(s);
            }
        }
    }

    private static final int NEW = 0;
    private static final int BUFFERING = 1;
    private static final int STREAMING = 2;
    private static final int DONE = 3;

    private final Connection conn;
    private final OutputBuffer out;
    private final Headers headers = new Headers(8);
    private final byte[] serverLine;
    private OutputStream bodyStream;
    private boolean http11;
    private boolean headRequest;
    private int status;
    private int mode;
    private long declared;
    private long written;
    private boolean closeAfter;

    Response(Connection conn, OutputBuffer out, String serverHeader) {
        this.conn = conn;
        this.out = out;
        this.serverLine = serverHeader.isEmpty() ? new byte[0] : OutputBuffer.ascii("Server: " + serverHeader + "\r\n");
    }

    void reset(boolean http11, boolean headRequest) {
        headers.clear();
        this.http11 = http11;
        this.headRequest = headRequest;
        status = 200;
        mode = NEW;
        declared = -1;
        written = 0;
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
        try {
            commit();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        if (mode == NEW) {
            commit();
        } else if (mode == DONE) {
            throw new IOException("the response is complete");
        }
        if (Framing.bodyless(status)) {
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
            if (out.hold(bytes, offset, length, BODY_BUFFER)) {
                return;
            }
            finishHead(false);
        }
        out.writeBody(bytes, offset, length);
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
        out.flush();
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
            out.endBody();
        }
        if (declared >= 0 && written != declared && !headRequest && !Framing.bodyless(status)) {
            closeAfter = true;
        }
        mode = DONE;
    }

    /**
     * Discards what this response buffered and answers {@code status} with a short text body instead, closing the
     * connection afterwards; of the handler's headers only {@link RequestId#HEADER} stays. Only valid while
     * {@link #committed()} is false or the head is still held.
     */
    boolean replaceWithError(int status, String message) throws IOException {
        if (mode == STREAMING || mode == DONE) {
            return false;
        }
        out.discardHead();
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

    /**
     * Abandons the response: the connection will be closed. A head still held is thrown away, so a client never
     * gets a head without its end; one already sent is cut short, which the client sees.
     */
    void abort() {
        out.discardHead();
        closeAfter = true;
        mode = DONE;
    }

    private void commit() throws IOException {
        out.beginHead(headLength());
        writeHeadLines(status, true);
        out.endHeadLines();
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
            out.beginHead(headLength());
            writeHeadLines(status, false);
            out.endInterimHead();
            out.flush();
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

    /**
     * The status line and the handler's headers; for the final head ({@code standard}) also {@code Date} and
     * {@code Server}, and what the handler's {@code Content-Length} and {@code Connection} fields ask for. The
     * framing fields themselves are left out: {@link #finishHead} writes the framing the body gets.
     */
    private void writeHeadLines(int status, boolean standard) {
        byte[] line = STATUS_LINES[status];
        out.put(line != null ? line : statusLine(status));
        boolean date = false;
        boolean server = false;
        boolean lengthSeen = false;
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            switch (kind(name)) {
                case CONTENT_LENGTH -> {
                    if (standard && !lengthSeen) {
                        lengthSeen = true;
                        String cl = headers.value(i);
                        declared = Framing.contentLength(cl);
                        if (declared < 0) {
                            LOG.warn("ignoring malformed Content-Length {} set by the handler", cl);
                        }
                    }
                }
                case CONNECTION -> closeAfter |= standard && FieldValues.hasToken(headers.value(i), "close");
                case TRANSFER_ENCODING -> { }
                default -> {
                    date |= name.length() == 4 && name.equalsIgnoreCase("Date");
                    server |= name.length() == 6 && name.equalsIgnoreCase("Server");
                    out.putField(name, headers.value(i));
                }
            }
        }
        if (standard && !date) {
            out.put(DateHeader.line());
        }
        if (standard && !server) {
            out.put(serverLine);
        }
    }

    private static final int OTHER = 0;
    private static final int CONTENT_LENGTH = 1;
    private static final int TRANSFER_ENCODING = 2;
    private static final int CONNECTION = 3;

    /** Which framing field {@code name} is, if any: most names are told apart by their length alone. */
    private static int kind(String name) {
        return switch (name.length()) {
            case 14 -> name.equalsIgnoreCase("Content-Length") ? CONTENT_LENGTH : OTHER;
            case 17 -> name.equalsIgnoreCase("Transfer-Encoding") ? TRANSFER_ENCODING : OTHER;
            case 10 -> name.equalsIgnoreCase("Connection") ? CONNECTION : OTHER;
            default -> OTHER;
        };
    }

    /** Chooses the framing and leaves buffering mode: the held head goes out with it when the buffer is flushed. */
    private void finishHead(boolean complete) {
        closeAfter |= conn.mustCloseAfterResponse();
        long length = -1;
        boolean chunked = false;
        if (Framing.bodyless(status)) {
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
        out.releaseHead(length, chunked, closeAfter ? CLOSE : http11 ? null : KEEP_ALIVE);
        mode = STREAMING;
    }

    /** {@code HTTP/1.1 200 OK CRLF}; built without string concatenation, which costs a bootstrap at start-up. */
    private static byte[] statusLine(int status) {
        return OutputBuffer.ascii(new StringBuilder(40).append("HTTP/1.1 ").append(status).append(' ')
                .append(Status.reason(status)).append("\r\n").toString());
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
