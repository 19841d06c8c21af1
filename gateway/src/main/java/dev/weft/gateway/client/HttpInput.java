package dev.weft.gateway.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import dev.weft.http.codec.ChunkedDecoder;
import dev.weft.http.codec.ParseException;
import dev.weft.http.codec.ResponseHeadParser;

/**
 * The buffered read side of one upstream connection. It owns the buffer and the socket reads; every protocol
 * decision (the status line, the fields, how the body is framed, chunk sizes, trailers) is server-core's codec's
 * ({@link ResponseHeadParser}, {@link ChunkedDecoder}), the same code the server reads requests with, so the gateway
 * reads a response no more loosely than Weft reads a request. Bytes read ahead of a head or a chunk stay in the
 * buffer; whatever is still there after a response is a response nobody asked for, and the connection is not
 * reused ({@link UpstreamConnection#reusable}).
 */
final class HttpInput {
    /** The buffer, and so the largest response head (status line and fields). */
    static final int BUFFER_SIZE = 16 * 1024;
    /** The largest trailer section; trailers are read to stay in step with the stream, then dropped. */
    private static final int MAX_TRAILER_BYTES = 8 * 1024;

    private final InputStream in;
    private final UpstreamConnection connection;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private final ResponseHeadParser heads = new ResponseHeadParser(BUFFER_SIZE);
    private final ChunkedDecoder chunked = ChunkedDecoder.forResponses(MAX_TRAILER_BYTES);
    private int pos;
    private int limit;
    private long received;

    HttpInput(InputStream in, UpstreamConnection connection) {
        this.in = in;
        this.connection = connection;
    }

    /** Bytes received on this connection so far; a reused connection that received nothing was stale. */
    long received() {
        return received;
    }

    /** Bytes already buffered, readable without blocking. */
    int buffered() {
        return limit - pos;
    }

    /**
     * Reads one final response head, skipping interim 1xx responses (not 101, which is final).
     *
     * @param headRequest the request was HEAD, so the response has no body whatever its fields say
     * @throws MalformedResponseException when the codec refuses the head
     * @throws EOFException if the connection ends before a complete head
     */
    ResponseHead readHead(boolean headRequest) throws IOException {
        while (true) {
            ResponseHead.Fields fields = new ResponseHead.Fields();
            dev.weft.http.codec.ResponseHead head;
            while ((head = parse(headRequest, fields)) == null) {
                compact();
                if (fill() < 0) {
                    throw new EOFException(limit == pos && received == 0
                            ? "upstream closed the connection before responding"
                            : "upstream closed the connection in the middle of the response head");
                }
            }
            pos = head.end();
            if (!head.interim()) {
                return new ResponseHead(head, fields.headers, fields.connection);
            }
        }
    }

    private dev.weft.http.codec.ResponseHead parse(boolean headRequest, ResponseHead.Fields fields)
            throws MalformedResponseException {
        try {
            return heads.parse(buf, pos, limit, headRequest, fields);
        } catch (ParseException e) {
            throw new MalformedResponseException(e);
        }
    }

    /**
     * Starts a chunked body: consumes the framing already buffered with the head, so that a malformed first chunk
     * size that arrived with the head is refused before anything reaches the client. Does not wait for more.
     */
    void startChunked() throws MalformedResponseException {
        chunked.reset();
        advance();
    }

    /** True once the chunked body's last chunk and trailers were read. */
    boolean chunkedDone() {
        return chunked.done();
    }

    /**
     * Chunk data readable without blocking: consumes any framing already buffered, then the data bytes buffered
     * up to the end of the current chunk; 0 at the end of the body or where more must be read.
     */
    int chunkedAvailable() throws MalformedResponseException {
        advance();
        return (int) Math.min(chunked.dataRemaining(), limit - pos);
    }

    /** Reads up to {@code len} bytes of chunk data; -1 at the end of the body (trailers consumed and dropped). */
    int readChunked(byte[] b, int off, int len) throws IOException {
        while (true) {
            advance();
            if (chunked.done()) {
                return -1;
            }
            long data = chunked.dataRemaining();
            if (data > 0) {
                int n = read(b, off, (int) Math.min(len, data));
                if (n < 0) {
                    throw new EOFException("upstream closed the connection in the middle of a chunk");
                }
                chunked.dataConsumed(n);
                return n;
            }
            compact(); // the rest of a size line or the trailers: the decoder bounds both well below the buffer
            if (fill() < 0) {
                throw new EOFException("upstream closed the connection in the middle of a chunked body");
            }
        }
    }

    private void advance() throws MalformedResponseException {
        try {
            pos = chunked.advance(buf, pos, limit, null);
        } catch (ParseException e) {
            throw new MalformedResponseException(e);
        }
    }

    /** Writes {@code n} buffered bytes to {@code out} straight from the buffer; the caller checked they are there. */
    void transferBuffered(OutputStream out, int n) throws IOException {
        out.write(buf, pos, n);
        pos += n;
    }

    /**
     * Reads up to {@code len} body bytes: from the buffer when it holds any, else straight from the socket into
     * {@code b} (no copy through the buffer for large bodies); -1 at the end of the stream.
     */
    int read(byte[] b, int off, int len) throws IOException {
        if (pos < limit) {
            int n = Math.min(len, limit - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throw connection.translate(e);
        }
        if (n > 0) {
            received += n;
        }
        return n;
    }

    private void compact() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
    }

    private int fill() throws IOException {
        if (limit == buf.length) {
            // unreachable while the codec's limits (head: the buffer; size line, trailers) stay below the buffer
            throw new MalformedResponseException("upstream framing longer than " + buf.length + " bytes");
        }
        int n;
        try {
            n = in.read(buf, limit, buf.length - limit);
        } catch (IOException e) {
            throw connection.translate(e);
        }
        if (n > 0) {
            limit += n;
            received += n;
        }
        return n;
    }
}
