package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

import dev.weft.http.codec.ChunkSizeParser;
import dev.weft.http.codec.ParseException;
import dev.weft.http.codec.RequestHeadParser;

/**
 * A {@code Transfer-Encoding: chunked} request body (RFC 9112 section 7.1): decodes chunk by chunk from the
 * connection's buffer, enforces the body-size limit as it goes (413), refuses malformed framing (400), and stores the
 * trailer section in the request when the last chunk has been read. Reused across the requests of one connection.
 */
final class ChunkedBody extends InputStream {
    private static final int SIZE = 0;
    private static final int DATA = 1;
    private static final int DATA_END = 2;
    private static final int TRAILERS = 3;
    private static final int DONE = 4;

    private final Connection conn;
    private final RequestHeadParser parser;
    private final ChunkSizeParser sizeParser = new ChunkSizeParser();
    private final long maxBytes;
    private Request request;
    private int state;
    private long chunkRemaining;
    private long total;
    private boolean started;

    ChunkedBody(Connection conn, RequestHeadParser parser, long maxBytes) {
        this.conn = conn;
        this.parser = parser;
        this.maxBytes = maxBytes;
    }

    ChunkedBody begin() {
        request = null;
        state = SIZE;
        chunkRemaining = 0;
        total = 0;
        started = false;
        return this;
    }

    void attach(Request request) {
        this.request = request;
    }

    boolean done() {
        return state == DONE;
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
                switch (state) {
                    case SIZE -> {
                        int end = sizeParser.parse(conn.buf, conn.start, conn.end);
                        if (end == RequestHeadParser.INCOMPLETE) {
                            conn.fillBody();
                            continue;
                        }
                        conn.start = end;
                        long size = sizeParser.size();
                        total += size;
                        if (total > maxBytes) {
                            throw new RequestBodyException(413, "request body larger than " + maxBytes + " bytes");
                        }
                        if (size == 0) {
                            state = TRAILERS;
                        } else {
                            chunkRemaining = size;
                            state = DATA;
                        }
                    }
                    case DATA -> {
                        if (len == 0) {
                            return 0;
                        }
                        if (conn.buffered() == 0) {
                            conn.fillBody();
                        }
                        int n = (int) Math.min(Math.min(len, chunkRemaining), conn.buffered());
                        conn.take(b, off, n);
                        chunkRemaining -= n;
                        if (chunkRemaining == 0) {
                            state = DATA_END;
                        }
                        return n;
                    }
                    case DATA_END -> {
                        while (conn.buffered() < 2) {
                            conn.fillBody();
                        }
                        if (conn.buf[conn.start] != '\r' || conn.buf[conn.start + 1] != '\n') {
                            throw new RequestBodyException(400, "chunk data not followed by CRLF");
                        }
                        conn.start += 2;
                        state = SIZE;
                    }
                    case TRAILERS -> {
                        dev.weft.http.Headers trailers = new dev.weft.http.Headers(4);
                        int end;
                        while ((end = parser.parseTrailers(conn.buf, conn.start, conn.end, trailers))
                                == RequestHeadParser.INCOMPLETE) {
                            conn.fillBody();
                        }
                        conn.start = end;
                        if (request != null && !trailers.isEmpty()) {
                            request.setTrailers(trailers);
                        }
                        state = DONE;
                        return -1;
                    }
                    default -> {
                        return -1;
                    }
                }
            }
        } catch (ParseException e) {
            throw new RequestBodyException(e.status(), e.getMessage());
        }
    }

    @Override
    public int available() {
        return state == DATA ? (int) Math.min(chunkRemaining, conn.buffered()) : 0;
    }
}
