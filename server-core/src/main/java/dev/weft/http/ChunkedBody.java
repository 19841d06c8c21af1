package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

import dev.weft.http.codec.ChunkedDecoder;
import dev.weft.http.codec.FieldSink;
import dev.weft.http.codec.ParseException;

/**
 * A {@code Transfer-Encoding: chunked} request body (RFC 9112 section 7.1): the codec's {@link ChunkedDecoder} reads
 * the framing in the connection's buffer and this stream hands out the data, enforces the body-size limit as the
 * chunk sizes arrive (413), turns malformed framing into a 400, and stores the trailer section in the request when
 * the last chunk has been read. Reused across the requests of one connection.
 */
final class ChunkedBody extends InputStream implements FieldSink {
    private final Connection conn;
    private final ChunkedDecoder decoder;
    private final long maxBytes;
    private Request request;
    private Headers trailers;
    private boolean started;

    ChunkedBody(Connection conn, int maxTrailerBytes, long maxBytes) {
        this.conn = conn;
        this.decoder = ChunkedDecoder.forRequests(maxTrailerBytes);
        this.maxBytes = maxBytes;
    }

    ChunkedBody begin() {
        decoder.reset();
        request = null;
        trailers = null;
        started = false;
        return this;
    }

    void attach(Request request) {
        this.request = request;
    }

    boolean done() {
        return decoder.done();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0; // InputStream's contract: a zero-length read reads nothing and does not block
        }
        if (!started) {
            started = true;
            conn.continueIfExpected();
        }
        try {
            while (true) {
                conn.start = decoder.advance(conn.buf, conn.start, conn.end, this);
                if (decoder.bodyLength() > maxBytes) {
                    throw new RequestBodyException(413, "request body larger than " + maxBytes + " bytes");
                }
                if (decoder.done()) {
                    if (request != null && trailers != null) {
                        request.setTrailers(trailers);
                    }
                    return -1;
                }
                long data = decoder.dataRemaining();
                if (data > 0 && conn.buffered() > 0) {
                    int n = (int) Math.min(Math.min(len, data), conn.buffered());
                    conn.take(b, off, n);
                    decoder.dataConsumed(n);
                    return n;
                }
                conn.fillBody();
            }
        } catch (ParseException e) {
            throw new RequestBodyException(e.status(), e.getMessage());
        }
    }

    /** Receives a trailer field from the decoder. */
    @Override
    public void field(String name, String value) {
        if (trailers == null) {
            trailers = new Headers(4);
        }
        trailers.add(name, value);
    }

    @Override
    public int available() {
        return (int) Math.min(decoder.dataRemaining(), conn.buffered());
    }
}
