package dev.weft.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ResponseWriter} of an HTTP/2 stream, with the HTTP/1.1 writer's contract: up to {@value #BODY_BUFFER}
 * bytes of body are held back, so that a response that ends within them leaves as one HEADERS frame with
 * {@code content-length} and one DATA frame with END_STREAM (or a HEADERS frame with END_STREAM when there is no
 * body); a longer or flushed body streams as DATA frames without a length, which HTTP/2 frames by itself. Field names
 * go out in lower case and the connection-specific ones a handler may set (Connection, Transfer-Encoding, ...) are
 * left out, as RFC 9113 section 8.2.2 requires.
 *
 * <p>Trailers, as in Go: a header set after the response is committed under the name {@code Trailer:NAME} is sent
 * as trailer field NAME after the body.
 */
final class Http2Response implements ResponseWriter {
    private static final Logger LOG = LoggerFactory.getLogger(Http2Response.class);
    static final int BODY_BUFFER = Response.BODY_BUFFER;
    static final String TRAILER_PREFIX = "Trailer:";

    private static final int NEW = 0;
    private static final int HELD = 1;
    private static final int STREAMING = 2;
    private static final int DONE = 3;

    private final Http2Stream stream;
    private final boolean headRequest;
    private final String serverHeader;
    private final Headers headers = new Headers(8);
    private OutputStream bodyStream;
    private byte[] held;
    private int heldLength;
    private int status = 200;
    private int mode = NEW;
    private long declared = -1;
    private long written;
    private int committedFields;

    Http2Response(Http2Stream stream, boolean headRequest, String serverHeader) {
        this.stream = stream;
        this.headRequest = headRequest;
        this.serverHeader = serverHeader;
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
        if (status < 200) {
            if (status != 101) { // no protocol switching in HTTP/2 (RFC 9113 section 8.6)
                try {
                    stream.sendInformational(status, headers);
                } catch (IOException e) {
                    LOG.debug("could not send {} informational response", status, e);
                }
            }
            return;
        }
        this.status = status;
        commit();
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
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
        if (headRequest || length == 0) {
            return;
        }
        if (mode == HELD) {
            if (heldLength + length <= BODY_BUFFER) {
                if (held == null) {
                    held = new byte[BODY_BUFFER];
                }
                System.arraycopy(bytes, offset, held, heldLength, length);
                heldLength += length;
                return;
            }
            sendHead(false);
        }
        stream.sendData(bytes, offset, length, false);
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
        if (mode == HELD) {
            sendHead(false);
        }
        stream.flush();
    }

    @Override
    public OutputStream body() {
        if (bodyStream == null) {
            bodyStream = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    Http2Response.this.write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    Http2Response.this.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    Http2Response.this.flush();
                }
            };
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

    /**
     * Completes the response after the handler returned: the head if still held, the body's end, trailers. What is
     * only queued leaves when the stream's thread ends (the connection writes then).
     */
    void finish() throws IOException {
        if (mode == NEW) {
            commit();
        }
        if (mode == DONE) {
            return;
        }
        Headers trailers = trailers();
        boolean lengthWrong = declared >= 0 && written != declared && !headRequest && !Framing.bodyless(status);
        if (lengthWrong) {
            // as HTTP/1.1 closes the connection: the client must not take a short body for a whole one
            mode = DONE;
            stream.abort();
            return;
        }
        if (mode == HELD) {
            if (heldLength > 0) {
                stream.sendResponse(status, wireFields(true), held, 0, heldLength, trailers == null);
            } else {
                stream.sendHeaders(status, wireFields(true), trailers == null);
            }
        } else if (trailers == null) {
            stream.sendData(held == null ? new byte[0] : held, 0, 0, true);
        }
        if (trailers != null) {
            stream.sendTrailers(trailers);
        }
        mode = DONE;
        // no flush: the connection writes what the stream queued when its handler returns, a lock taken once less
    }

    /**
     * Replaces what was held with a short text answer of {@code status}; false when the head has left already.
     * Of the handler's headers only {@link RequestId#HEADER} stays.
     */
    boolean replaceWithError(int status, String message) throws IOException {
        if (mode == STREAMING || mode == DONE) {
            return false;
        }
        String requestId = headers.get(RequestId.HEADER);
        headers.clear();
        if (requestId != null) {
            headers.set(RequestId.HEADER, requestId);
        }
        heldLength = 0;
        written = 0;
        declared = -1;
        mode = NEW;
        this.status = status;
        headers.set("Content-Type", "text/plain; charset=utf-8");
        write(status + " " + Status.reason(status) + (message == null ? "" : ": " + message) + "\n");
        finish();
        return true;
    }

    /** Abandons the response: the client sees the stream reset. */
    void abort() {
        mode = DONE;
        stream.abort();
    }

    private void commit() {
        mode = HELD;
        committedFields = headers.size();
        String cl = headers.get("Content-Length");
        if (cl != null) {
            declared = Framing.contentLength(cl);
            if (declared < 0) {
                LOG.warn("ignoring malformed Content-Length {} set by the handler", cl);
            }
        }
    }

    private void sendHead(boolean complete) throws IOException {
        stream.sendHeaders(status, wireFields(complete), false);
        mode = STREAMING;
        if (heldLength > 0) {
            stream.sendData(held, 0, heldLength, false);
            heldLength = 0;
        }
    }

    /** The handler's fields as committed, with content-length when known, date and server. */
    private Headers wireFields(boolean complete) {
        Headers wire = new Headers(committedFields + 3);
        boolean date = false;
        boolean server = false;
        for (int i = 0; i < committedFields; i++) {
            String name = headers.name(i);
            if (name.equalsIgnoreCase("Content-Length") || name.startsWith(TRAILER_PREFIX)) {
                continue;
            }
            date |= name.equalsIgnoreCase("Date");
            server |= name.equalsIgnoreCase("Server");
            wire.add(name, headers.value(i));
        }
        if (!Framing.bodyless(status)) {
            long length = declared >= 0 ? declared : complete ? written : -1;
            if (length >= 0) {
                wire.add("content-length", Long.toString(length));
            }
        }
        if (!date) {
            wire.add("date", DateHeader.value());
        }
        if (!server && !serverHeader.isEmpty()) {
            wire.add("server", serverHeader);
        }
        return wire;
    }

    /** The fields set as {@code Trailer:NAME}, or null when there are none. */
    private Headers trailers() {
        Headers t = null;
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (name.length() > TRAILER_PREFIX.length() && name.regionMatches(true, 0, TRAILER_PREFIX, 0,
                    TRAILER_PREFIX.length())) {
                if (t == null) {
                    t = new Headers(2);
                }
                t.add(name.substring(TRAILER_PREFIX.length()), headers.value(i));
            }
        }
        return t;
    }

}
