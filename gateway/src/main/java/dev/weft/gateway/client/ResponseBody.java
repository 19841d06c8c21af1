package dev.weft.gateway.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import dev.weft.http.codec.ResponseHead.Framing;

/**
 * The body of one upstream response, framed as the codec decided ({@link Framing}): none, Content-Length bytes,
 * chunked (decoded by the codec's {@code ChunkedDecoder}), or everything until the upstream closes. Reaching its end
 * tells the connection that it may carry another exchange; closing it early makes the connection unusable, since
 * the rest of the body is still on the wire.
 */
public final class ResponseBody extends InputStream {
    private final UpstreamConnection connection;
    private final HttpInput in;
    private final Framing framing;
    private long remaining;
    private boolean done;

    ResponseBody(UpstreamConnection connection, ResponseHead head) {
        this.connection = connection;
        this.in = connection.input();
        this.framing = head.parsed().framing();
        switch (framing) {
            case NONE -> done = true;
            case LENGTH -> {
                remaining = head.parsed().contentLength();
                done = remaining == 0;
            }
            case CHUNKED -> done = in.chunkedDone();
            case UNTIL_CLOSE -> connection.markNotReusable();
        }
    }

    /** The declared length: what is left of a Content-Length body, 0 for none, -1 when chunked or until close. */
    public long declaredLength() {
        return switch (framing) {
            case NONE -> 0;
            case LENGTH -> remaining;
            case CHUNKED, UNTIL_CLOSE -> -1;
        };
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
    public boolean transferIfBuffered(OutputStream out) throws IOException {
        if (done || framing != Framing.LENGTH || in.buffered() < remaining) {
            return false;
        }
        in.transferBuffered(out, (int) remaining);
        remaining = 0;
        done = true;
        return true;
    }

    /** Body bytes readable without blocking. */
    @Override
    public int available() throws IOException {
        if (done) {
            return 0;
        }
        return switch (framing) {
            case LENGTH -> (int) Math.min(in.buffered(), remaining);
            case CHUNKED -> {
                int n;
                try {
                    n = in.chunkedAvailable();
                } catch (MalformedResponseException e) {
                    yield 0; // the decoder did not move: the next read meets the same framing and throws
                }
                done = in.chunkedDone();
                yield n;
            }
            default -> in.buffered();
        };
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
            default -> readUntilClose(b, off, len);
        };
    }

    private int readFixed(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("upstream closed the connection with " + remaining + " body bytes missing");
        }
        remaining -= n;
        done = remaining == 0;
        return n;
    }

    private int readChunked(byte[] b, int off, int len) throws IOException {
        int n = in.readChunked(b, off, len);
        done = in.chunkedDone();
        return n;
    }

    private int readUntilClose(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        done = n < 0;
        return n;
    }

    /** Closing before the end leaves unread bytes on the wire, so the connection is closed rather than reused. */
    @Override
    public void close() {
        if (!done) {
            connection.markNotReusable();
        }
    }
}
