package dev.weft.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.weft.http.codec.ChunkedDecoder;
import dev.weft.http.codec.ParseException;
import dev.weft.http.codec.ResponseHead;
import dev.weft.http.codec.ResponseHeadParser;

/**
 * A strict HTTP/1.1 client's read side for tests, on the codec's {@link ResponseHeadParser} and
 * {@link ChunkedDecoder} (the way a client or proxy is meant to use them): reads one response at a time from a
 * connection, framing checked, so that a test sees exactly what a strict client would. Interim responses are
 * returned like final ones; {@link #next} reads whichever comes next.
 */
final class ResponseReader {
    /** One response: its head, fields, body, and whether the body ended as its framing said it would. */
    record Exchange(ResponseHead head, Headers headers, byte[] body, boolean complete) {
        int status() {
            return head.status();
        }

        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private final InputStream in;
    private final ResponseHeadParser heads = new ResponseHeadParser(64 * 1024);
    private final ChunkedDecoder chunked = ChunkedDecoder.forResponses(64 * 1024);
    private byte[] buf = new byte[4096];
    private int pos;
    private int limit;

    ResponseReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the next response to a request with {@code method}. A body cut short by the end of the stream comes
     * back with {@code complete} false; malformed framing is a {@link ParseException}.
     *
     * @throws EOFException when the stream ends before a head
     */
    Exchange next(String method) throws IOException, ParseException {
        Headers headers = new Headers();
        ResponseHead head;
        while ((head = heads.parse(buf, pos, limit, method.equals("HEAD"), headers::add)) == null) {
            if (!fill()) {
                throw new EOFException("the stream ended before a response head; " + (limit - pos) + " bytes left");
            }
        }
        pos = head.end();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean complete = switch (head.framing()) {
            case NONE -> true;
            case LENGTH -> readLength(head.contentLength(), body);
            case CHUNKED -> readChunked(body);
            case UNTIL_CLOSE -> {
                do {
                    body.write(buf, pos, limit - pos);
                    pos = limit;
                } while (fill());
                yield true;
            }
        };
        return new Exchange(head, headers, body.toByteArray(), complete);
    }

    /** Reads responses until a final one (skipping 1xx but 101). */
    Exchange nextFinal(String method) throws IOException, ParseException {
        Exchange e;
        do {
            e = next(method);
        } while (e.head().interim());
        return e;
    }

    /** Bytes received but not part of any response read so far. */
    int leftover() {
        return limit - pos;
    }

    /** True when the server closed the connection (after what was read), false if it sends more. */
    boolean atEnd() throws IOException {
        return limit == pos && !fill();
    }

    private boolean readLength(long length, ByteArrayOutputStream body) throws IOException {
        long left = length;
        while (left > 0) {
            if (pos == limit && !fill()) {
                return false;
            }
            int n = (int) Math.min(left, limit - pos);
            body.write(buf, pos, n);
            pos += n;
            left -= n;
        }
        return true;
    }

    private boolean readChunked(ByteArrayOutputStream body) throws IOException, ParseException {
        chunked.reset();
        while (true) {
            pos = chunked.advance(buf, pos, limit, null);
            if (chunked.done()) {
                return true;
            }
            long data = chunked.dataRemaining();
            if (data > 0 && pos < limit) {
                int n = (int) Math.min(data, limit - pos);
                body.write(buf, pos, n);
                pos += n;
                chunked.dataConsumed(n);
            } else if (!fill()) {
                return false;
            }
        }
    }

    /** Reads more behind the unread bytes; false at the end of the stream (or a reset). */
    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n;
        try {
            n = in.read(buf, limit, buf.length - limit);
        } catch (java.net.SocketException reset) {
            return false;
        }
        if (n < 0) {
            return false;
        }
        limit += n;
        return true;
    }
}
