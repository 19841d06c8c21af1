package dev.weft.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one connection on their way out: the role of Go's {@code bufio.Writer} and its {@code chunkWriter}
 * together. It is the only owner of the output array; {@link Response} writes a head and a body through it and
 * {@link Connection} decides when it goes out.
 *
 * <p>A response head is written straight into the buffer and <em>held</em> there with the first body bytes behind
 * it, because the framing ({@code Content-Length} or chunked) is known only when the body ends or outgrows what may
 * be held. {@link #releaseHead} then inserts the framing lines between the head and the held body, a move of a few
 * dozen bytes, so a small response is assembled in place with no copy of its own. After that, body bytes are
 * written chunk-framed or as they are ({@link #writeBody}), and {@link #endBody} writes the last chunk.
 *
 * <p>Several responses may wait here complete (the answers to pipelined requests) and leave in one write:
 * {@link #flush} writes everything complete, that is everything before a held head. The array comes from the
 * server's pool when the first byte is written and goes back ({@link #releaseBuffer}) when nothing is pending, so an
 * idle connection holds none. A write publishes its deadline ({@link #writeOverdue}) for the server's sweeper, which
 * closes the socket of a client that stopped reading; a failed write runs {@code onWriteFailure} before it throws.
 */
final class OutputBuffer {
    /** Room kept behind a held body for the framing lines {@link #releaseHead} inserts. */
    static final int FRAMING_ROOM = 128;

    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");
    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] HEX = ascii("0123456789abcdef");

    private final OutputStream os;
    private final BufferPool pool;
    private final long writeTimeoutNanos;
    private final Runnable onWriteFailure;

    /** Pending output is {@code buf[0, len)}; null while nothing is pending and the array went back to the pool. */
    private byte[] buf;
    private int len;
    /** Where the held response head starts; -1 when none is held. */
    private int head = -1;
    /** Where the held body starts, behind the held head. */
    private int body;
    /** The current response's body is written chunk-framed. */
    private boolean chunked;
    private long written;
    private final FairShare share = new FairShare();
    /** System.nanoTime() by which the current write must finish; 0 when not writing. */
    private volatile long writeDeadline;

    OutputBuffer(OutputStream os, BufferPool pool, long writeTimeoutNanos, Runnable onWriteFailure) {
        this.os = os;
        this.pool = pool;
        this.writeTimeoutNanos = writeTimeoutNanos;
        this.onWriteFailure = onWriteFailure;
    }

    // ---- a response head, held until its framing is known ----

    /** Starts a response head of at most {@code maxLength} bytes; it is held until {@link #releaseHead}. */
    void beginHead(int maxLength) throws IOException {
        ensure(maxLength + FRAMING_ROOM);
        head = len;
        body = len;
    }

    /** Appends head bytes; within the room {@link #beginHead} made. */
    void put(byte[] b) {
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    /**
     * Appends {@code name: value CRLF}, within the room {@link #beginHead} made; control characters become spaces
     * and characters beyond Latin-1 become {@code ?}, so a handler's value cannot split the response.
     */
    void putField(String name, String value) {
        byte[] o = buf;
        int p = len;
        p = putText(o, p, name);
        o[p++] = ':';
        o[p++] = ' ';
        p = putText(o, p, value);
        o[p++] = '\r';
        o[p++] = '\n';
        len = p;
    }

    /** Ends the held head's lines (the framing lines and the empty line come with {@link #releaseHead}). */
    void endHeadLines() {
        body = len;
    }

    /** Ends an interim (1xx) head, which has no framing: its empty line, and it is no longer held. */
    void endInterimHead() {
        put(CRLF);
        head = -1;
    }

    boolean holdingHead() {
        return head >= 0;
    }

    /** Body bytes held behind the held head. */
    int heldBody() {
        return head >= 0 ? len - body : 0;
    }

    /**
     * Holds {@code n} more body bytes behind the held head if the held body stays within {@code limit} and fits,
     * writing earlier complete responses out to make room if needed; false (and nothing done) otherwise.
     */
    boolean hold(byte[] b, int off, int n, int limit) throws IOException {
        if (len - body + n > limit) {
            return false;
        }
        if (len + n + FRAMING_ROOM > buf.length) {
            if (head == 0) {
                return false;
            }
            flush();
            if (len + n + FRAMING_ROOM > buf.length) {
                return false;
            }
        }
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return true;
    }

    /**
     * Completes the held head with its framing and lets it go: {@code Content-Length: contentLength} when it is at
     * least 0, else {@code Transfer-Encoding: chunked} when {@code chunked}, else no length (a body-less status, a
     * HEAD answer, or a body delimited by closing); then {@code connection} (a {@code Connection: ...} line, or
     * null) and the empty line. A chunked response's held body becomes its first chunk, and later
     * {@link #writeBody} calls are chunk-framed until {@link #endBody}.
     */
    void releaseHead(long contentLength, boolean chunked, byte[] connection) {
        int bodyLen = len - body;
        boolean firstChunk = chunked && bodyLen > 0;
        int n = 2;
        if (contentLength >= 0) {
            n += CONTENT_LENGTH.length + decimalDigits(contentLength) + 2;
        } else if (chunked) {
            n += CHUNKED.length;
        }
        if (connection != null) {
            n += connection.length;
        }
        if (firstChunk) {
            n += hexDigits(bodyLen) + 2;
        }
        byte[] f = buf;
        System.arraycopy(f, body, f, body + n, bodyLen);
        int p = body;
        if (contentLength >= 0) {
            p = copy(CONTENT_LENGTH, f, p);
            p = putDecimal(f, p, contentLength);
            p = copy(CRLF, f, p);
        } else if (chunked) {
            p = copy(CHUNKED, f, p);
        }
        if (connection != null) {
            p = copy(connection, f, p);
        }
        p = copy(CRLF, f, p);
        if (firstChunk) {
            p = putHex(f, p, bodyLen);
            copy(CRLF, f, p);
        }
        len += n;
        if (firstChunk) {
            put(CRLF);
        }
        this.chunked = chunked;
        head = -1;
    }

    /** Throws the held head and body away (to answer with an error instead). */
    void discardHead() {
        if (head >= 0) {
            len = head;
            head = -1;
        }
        chunked = false;
    }

    // ---- the body after the head, and other complete bytes ----

    /** Writes body bytes of a released response: chunk-framed when it is chunked; large ones straight through. */
    void writeBody(byte[] b, int off, int n) throws IOException {
        if (n == 0) {
            return;
        }
        if (chunked) {
            ensure(20);
            len = putHex(buf, len, n);
            put(CRLF);
            write(b, off, n);
            write(CRLF, 0, 2);
        } else {
            write(b, off, n);
        }
    }

    /** Ends a released response's body: the last chunk when it is chunked. */
    void endBody() throws IOException {
        if (chunked) {
            write(LAST_CHUNK, 0, LAST_CHUNK.length);
            chunked = false;
        }
    }

    /** Appends complete bytes, writing them straight through when they are large. */
    void write(byte[] b, int off, int n) throws IOException {
        if (buf == null) {
            buf = pool.acquire();
        }
        if (len + n <= buf.length) {
            System.arraycopy(b, off, buf, len, n);
            len += n;
            return;
        }
        flush();
        if (n >= buf.length / 2 && len == 0) {
            writeOut(b, off, n);
        } else {
            ensure(n);
            System.arraycopy(b, off, buf, len, n);
            len += n;
        }
    }

    /** Complete bytes waiting to go out (not a held response). */
    int pending() {
        return head >= 0 ? head : len;
    }

    /** Writes every complete byte: all but a held response, which moves to the front of the buffer. */
    void flush() throws IOException {
        int upto = pending();
        if (upto == 0) {
            return;
        }
        writeOut(buf, 0, upto);
        System.arraycopy(buf, upto, buf, 0, len - upto);
        len -= upto;
        if (head >= 0) {
            head -= upto;
            body -= upto;
        }
    }

    /** Gives the array back to the pool when nothing is pending; an idle connection then holds none. */
    void releaseBuffer() {
        if (buf != null && len == 0) {
            pool.release(buf);
            buf = null;
        }
    }

    /** Bytes written to the socket since the last call. */
    long takeWritten() {
        long w = written;
        written = 0;
        return w;
    }

    /** True if a write has been blocked past its deadline (the sweeper then closes the socket). */
    boolean writeOverdue(long now) {
        long d = writeDeadline;
        return d != 0 && now - d > 0;
    }

    /** Makes room for {@code n} more bytes: writes complete output first, then grows the array if needed. */
    private void ensure(int n) throws IOException {
        if (buf == null) {
            buf = pool.acquire();
        }
        if (len + n <= buf.length) {
            return;
        }
        flush();
        if (len + n > buf.length) {
            byte[] bigger = Arrays.copyOf(buf, len + n + 1024);
            pool.release(buf);
            buf = bigger;
        }
    }

    private void writeOut(byte[] b, int off, int n) throws IOException {
        writeDeadline = (System.nanoTime() + writeTimeoutNanos) | 1;
        try {
            os.write(b, off, n);
            written += n;
        } catch (IOException e) {
            onWriteFailure.run();
            throw e;
        } finally {
            writeDeadline = 0;
        }
        share.moved(n);
    }

    private static int putText(byte[] o, int p, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            o[p++] = (c < 0x20 && c != '\t') || c == 0x7F ? (byte) ' ' : c > 0xFF ? (byte) '?' : (byte) c;
        }
        return p;
    }

    private static int copy(byte[] src, byte[] dst, int at) {
        System.arraycopy(src, 0, dst, at, src.length);
        return at + src.length;
    }

    static int decimalDigits(long v) {
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) {
            digits++;
        }
        return digits;
    }

    static int hexDigits(long v) {
        return Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 3) / 4);
    }

    /** Writes {@code v} (at least 0) in decimal at {@code p}; returns the index after it. */
    static int putDecimal(byte[] b, int p, long v) {
        int end = p + decimalDigits(v);
        int q = end;
        long x = v;
        do {
            b[--q] = (byte) ('0' + (x % 10));
            x /= 10;
        } while (x > 0);
        return end;
    }

    /** Writes {@code v} (at least 0) in lower-case hex at {@code p}; returns the index after it. */
    static int putHex(byte[] b, int p, long v) {
        int digits = hexDigits(v);
        long x = v;
        for (int i = digits - 1; i >= 0; i--) {
            b[p + i] = HEX[(int) (x & 0xF)];
            x >>>= 4;
        }
        return p + digits;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
