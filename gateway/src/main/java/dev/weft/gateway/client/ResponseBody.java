package dev.weft.gateway.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of one upstream response, framed by Content-Length, by chunked coding, or by the connection's end.
 * Reaching its end tells the connection that it may carry another exchange; closing it early makes the connection
 * unusable, since the rest of the body is still on the wire.
 */
public final class ResponseBody extends InputStream {
    private enum Framing { LENGTH, CHUNKED, UNTIL_CLOSE }

    private final UpstreamConnection connection;
    private final HttpInput in;
    private final Framing framing;
    private long remaining;
    private boolean done;

    private ResponseBody(UpstreamConnection connection, Framing framing, long length) {
        this.connection = connection;
        this.in = connection.input();
        this.framing = framing;
        this.remaining = length;
        if (framing == Framing.LENGTH && length == 0) {
            finish();
        }
    }

    /**
     * The body of {@code head}, a response to {@code method}: empty for HEAD, 1xx, 204 and 304, chunked when
     * Transfer-Encoding says so, else Content-Length bytes, else everything until the upstream closes.
     */
    static ResponseBody of(UpstreamConnection connection, ResponseHead head, String method)
            throws MalformedResponseException {
        if (head.bodyless(method)) {
            return new ResponseBody(connection, Framing.LENGTH, 0);
        }
        String te = head.transferEncoding();
        if (te != null) {
            if (!te.trim().equalsIgnoreCase("chunked")) {
                throw new MalformedResponseException("upstream used a transfer coding other than chunked alone: "
                        + te);
            }
            return new ResponseBody(connection, Framing.CHUNKED, 0);
        }
        String length = head.contentLength();
        if (length != null) {
            if (head.contentLengths() > 1) {
                throw new MalformedResponseException("upstream sent several Content-Length fields");
            }
            try {
                long n = Long.parseLong(length.trim());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return new ResponseBody(connection, Framing.LENGTH, n);
            } catch (NumberFormatException e) {
                throw new MalformedResponseException("bad upstream Content-Length: " + length);
            }
        }
        connection.markNotReusable();
        return new ResponseBody(connection, Framing.UNTIL_CLOSE, -1);
    }

    /** The declared length, or -1 when the body is chunked or ends with the connection. */
    public long declaredLength() {
        return framing == Framing.LENGTH ? remaining : -1;
    }

    /** True once the whole body has been read. */
    public boolean isDone() {
        return done;
    }

    /**
     * When the whole rest of a Content-Length body already sits in the connection's buffer (a small response read
     * together with its head), writes it to {@code out} without copying it through a buffer of the caller's, and
     * returns true; else does nothing and returns false.
     */
    public boolean transferIfBuffered(java.io.OutputStream out) throws IOException {
        if (done || framing != Framing.LENGTH || in.buffered() < remaining) {
            return false;
        }
        in.transferBuffered(out, (int) remaining);
        remaining = 0;
        finish();
        return true;
    }

    /** Bytes readable without blocking. */
    @Override
    public int available() {
        if (done) {
            return 0;
        }
        int buffered = in.buffered();
        return framing == Framing.LENGTH ? (int) Math.min(buffered, remaining) : buffered;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        return switch (framing) {
            case LENGTH -> readFixed(b, off, len);
            case CHUNKED -> readChunked(b, off, len);
            case UNTIL_CLOSE -> readUntilClose(b, off, len);
        };
    }

    private int readFixed(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("upstream closed the connection with " + remaining + " body bytes missing");
        }
        remaining -= n;
        if (remaining == 0) {
            finish();
        }
        return n;
    }

    private int readChunked(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            remaining = nextChunkSize();
            if (remaining == 0) {
                while (!in.readLine().isEmpty()) {
                    // trailer fields are hop-by-hop for a proxy that does not announce TE: trailers; dropped
                }
                finish();
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("upstream closed the connection in the middle of a chunk");
        }
        remaining -= n;
        if (remaining == 0) {
            if (!in.readLine().isEmpty()) {
                throw new MalformedResponseException("upstream chunk not followed by CRLF");
            }
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String line = in.readLine();
        int end = line.indexOf(';');
        String hex = (end < 0 ? line : line.substring(0, end)).trim();
        try {
            long size = Long.parseLong(hex, 16);
            if (size < 0) {
                throw new NumberFormatException();
            }
            return size;
        } catch (NumberFormatException e) {
            throw new MalformedResponseException("bad upstream chunk size: " + line);
        }
    }

    private int readUntilClose(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            done = true;
        }
        return n;
    }

    private void finish() {
        done = true;
    }

    /** Closing before the end leaves unread bytes on the wire, so the connection is closed rather than reused. */
    @Override
    public void close() {
        if (!done) {
            connection.markNotReusable();
        }
    }
}
