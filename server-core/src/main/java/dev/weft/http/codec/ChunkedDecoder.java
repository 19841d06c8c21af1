package dev.weft.http.codec;

/**
 * Decodes a {@code Transfer-Encoding: chunked} body (RFC 9112 section 7.1) as it arrives, from bytes: the framing
 * (chunk-size lines, the CRLF after each chunk's data, the trailer section) is consumed here, the data is left in
 * the caller's buffer for the caller to take. No I/O, so the same decoder serves the server reading a request body
 * and a client or proxy reading a response body, as Go's {@code transfer.go} serves both.
 *
 * <pre>{@code
 * ChunkedDecoder chunked = ChunkedDecoder.forResponses(16 * 1024);   // reset() before each body
 * while (true) {
 *     pos = chunked.advance(buf, pos, limit, trailers);            // trailers: a FieldSink, or null to drop them
 *     if (chunked.done()) break;                                   // pos is after the body
 *     long data = chunked.dataRemaining();
 *     if (data > 0 && pos < limit) {
 *         int n = (int) Math.min(data, limit - pos);
 *         out.write(buf, pos, n);                                  // chunk data, never framing
 *         pos += n;
 *         chunked.dataConsumed(n);
 *     } else {
 *         // keep buf[pos, limit), read more behind it, and loop
 *     }
 * }
 * }</pre>
 *
 * <p>Strict: a chunk size is 1 to 15 hex digits (so at most 2^60 - 1; no sign, no {@code 0x}, no spaces inside;
 * {@code Long.parseLong(s, 16)} would take {@code +1a}), extensions are checked for allowed bytes and ignored, the
 * size line is at most {@value #MAX_SIZE_LINE} bytes, chunk data must be followed by CRLF, and trailer fields follow
 * the header field rules. The body-size limit is the caller's: {@link #bodyLength()} is the sum of the sizes seen.
 */
public final class ChunkedDecoder {
    /** The longest chunk-size line accepted, extensions included. */
    public static final int MAX_SIZE_LINE = 4096;

    private static final int SIZE = 0;
    private static final int DATA = 1;
    private static final int DATA_END = 2;
    private static final int TRAILERS = 3;
    private static final int DONE = 4;

    private final FieldReader trailers;
    private final int maxTrailerBytes;
    private int state;
    private long remaining;
    private long total;

    private ChunkedDecoder(int maxTrailerBytes, int badStatus, int tooLargeStatus) {
        this.trailers = new FieldReader(badStatus, tooLargeStatus);
        this.maxTrailerBytes = maxTrailerBytes;
    }

    /** A decoder of request bodies: malformed framing is a {@link ParseException} with status 400 (431 trailers). */
    public static ChunkedDecoder forRequests(int maxTrailerBytes) {
        return new ChunkedDecoder(maxTrailerBytes, 400, 431);
    }

    /** A decoder of response bodies: malformed framing is a {@link ParseException} with status 502. */
    public static ChunkedDecoder forResponses(int maxTrailerBytes) {
        return new ChunkedDecoder(maxTrailerBytes, 502, 502);
    }

    /** Prepares for a new body. */
    public ChunkedDecoder reset() {
        state = SIZE;
        remaining = 0;
        total = 0;
        return this;
    }

    /**
     * Consumes framing from {@code buf[from, to)} until chunk data, the end of the body, or the end of the input,
     * and returns the index it reached. There, when {@link #done()}, the body has ended (the trailers went to
     * {@code trailerSink}, which may be null); when {@link #dataRemaining()} is positive, that many bytes of chunk
     * data start (some may still be to come); otherwise the input ends inside framing, and the caller keeps
     * {@code buf[returned, to)}, reads more behind it and calls again.
     *
     * @throws ParseException when the framing is malformed
     */
    public int advance(byte[] buf, int from, int to, FieldSink trailerSink) throws ParseException {
        int p = from;
        while (true) {
            switch (state) {
                case SIZE -> {
                    int e = sizeLine(buf, p, to);
                    if (e < 0) {
                        return p;
                    }
                    p = e;
                    total += remaining;
                    state = remaining == 0 ? TRAILERS : DATA;
                }
                case DATA_END -> {
                    if ((p < to && buf[p] != '\r') || (p + 1 < to && buf[p + 1] != '\n')) {
                        throw bad("chunk data not followed by CRLF");
                    }
                    if (p + 2 > to) {
                        return p;
                    }
                    p += 2;
                    state = SIZE;
                }
                case TRAILERS -> {
                    int e = trailers.parse(buf, p, to, maxTrailerBytes);
                    if (e == FieldReader.INCOMPLETE) {
                        return p;
                    }
                    if (trailerSink != null) {
                        trailers.emit(trailerSink);
                    }
                    state = DONE;
                    return e;
                }
                default -> {
                    return p; // DATA (the caller takes it) or DONE
                }
            }
        }
    }

    /** Bytes of chunk data left in the current chunk, starting where {@link #advance} stopped; 0 in framing. */
    public long dataRemaining() {
        return state == DATA ? remaining : 0;
    }

    /** Records that the caller took {@code n} bytes of chunk data, at most {@link #dataRemaining()}. */
    public void dataConsumed(long n) {
        if (n < 0 || n > dataRemaining()) {
            throw new IllegalArgumentException("consumed " + n + " of " + dataRemaining() + " bytes of chunk data");
        }
        remaining -= n;
        if (state == DATA && remaining == 0) {
            state = DATA_END;
        }
    }

    /** True once the last chunk and the trailer section have been read. */
    public boolean done() {
        return state == DONE;
    }

    /** The sum of the chunk sizes read so far, the current chunk's included: the caller's body-size limit. */
    public long bodyLength() {
        return total;
    }

    /**
     * Parses a chunk-size line at {@code from}: {@code 1*HEXDIG [ chunk-ext ] CRLF}, sets {@link #remaining} and
     * returns the index after its CRLF, or -1 when the line is not complete yet.
     */
    private int sizeLine(byte[] buf, int from, int to) throws ParseException {
        int p = from;
        long value = 0;
        int digits = 0;
        while (p < to) {
            int d = hex(buf[p]);
            if (d < 0) {
                break;
            }
            if (++digits > 15) {
                throw bad("chunk size too large");
            }
            value = (value << 4) | d;
            p++;
        }
        if (p == to) {
            return incomplete(from, to);
        }
        if (digits == 0) {
            throw bad("malformed chunk size");
        }
        byte b = buf[p];
        if (b == ';' || b == ' ' || b == '\t') {
            // chunk-ext: BWS ";" BWS name [ BWS "=" BWS value ], repeated; checked for allowed bytes only
            boolean sawSemicolon = false;
            while (p < to && buf[p] != '\r') {
                int c = buf[p] & 0xFF;
                if (c == ';') {
                    sawSemicolon = true;
                } else if (c == '\n' || (c < 0x20 && c != '\t') || c == 0x7F) {
                    throw bad("malformed chunk extension");
                } else if (!sawSemicolon && c != ' ' && c != '\t') {
                    throw bad("malformed chunk size");
                }
                p++;
            }
            if (p == to) {
                return incomplete(from, to);
            }
        }
        if (buf[p] != '\r') {
            throw bad("malformed chunk size");
        }
        if (p + 1 == to) {
            return incomplete(from, to);
        }
        if (buf[p + 1] != '\n') {
            throw bad("chunk size line not ended by CRLF");
        }
        remaining = value;
        return p + 2;
    }

    private ParseException bad(String message) {
        return trailers.bad(message);
    }

    private int incomplete(int from, int to) throws ParseException {
        if (to - from > MAX_SIZE_LINE) {
            throw bad("chunk size line too long");
        }
        return -1;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
