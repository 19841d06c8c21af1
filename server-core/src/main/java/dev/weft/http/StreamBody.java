package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A stream's request body as the handler reads it: the connection's reader copies each DATA frame's octets in, the
 * handler's thread takes them out. What is held is bounded by the stream's receive window, since credit goes back
 * to the client only as the handler reads ({@link Http2Stream#consumed}).
 *
 * <p>A read waits until the stream's read deadline (its HEADERS frame plus readTimeout) and then fails with 408; a
 * body past maxBodyBytes fails with 413 and what arrives after it is dropped; a reset or a broken connection fails
 * it with a plain IOException. Trailers, when the client sends them, are here once the body has ended.
 */
final class StreamBody extends InputStream {
    private final Http2Stream stream;
    private final long declared;
    private final long maxBodyBytes;
    private final long deadline;
    /** Created with the first octets: most requests have no body. */
    private ArrayDeque<byte[]> chunks;
    private int pos;
    private long received;
    private boolean ended;
    private boolean started;
    private IOException failure;
    private Headers trailers;

    /**
     * @param declared the request's content-length, or -1 without one
     * @param ended    true when the HEADERS frame carried END_STREAM: there is no body
     */
    StreamBody(Http2Stream stream, long declared, long maxBodyBytes, long deadline, boolean ended) {
        this.stream = stream;
        this.declared = declared;
        this.maxBodyBytes = maxBodyBytes;
        this.deadline = deadline;
        this.ended = ended;
    }

    /**
     * Takes a DATA frame's octets, on the reader's thread. Returns why the request is malformed (more or fewer
     * octets than its content-length: RFC 9113 section 8.1.1), or null.
     */
    synchronized String receive(byte[] b, int off, int n, boolean end) {
        if (ended) {
            return null;
        }
        received += n;
        if (declared >= 0 && (received > declared || end && received != declared)) {
            fail(new RequestBodyException(400, "request body of " + (end ? received : "more than " + declared)
                    + " octets with a content-length of " + declared));
            return "DATA " + (end ? "of " + received + " octets" : "beyond") + " the content-length of " + declared;
        }
        if (failure == null && received > maxBodyBytes) {
            fail(new RequestBodyException(413, "request body larger than " + maxBodyBytes + " bytes"));
        }
        if (failure == null && n > 0) {
            if (chunks == null) {
                chunks = new ArrayDeque<>(4);
            }
            chunks.add(Arrays.copyOfRange(b, off, off + n));
        }
        if (end) {
            ended = true;
        }
        notifyAll();
        return null;
    }

    /**
     * The body ended with a trailer section. Returns why the request is malformed (fewer octets than its
     * content-length), or null. The trailers and the end are published under one lock: a reader that sees the end
     * of the body sees the trailers (ending the body first and adding them after let a handler read to the end and
     * find none).
     */
    synchronized String end(Headers trailerFields) {
        trailers = trailerFields;
        return receive(new byte[0], 0, 0, true);
    }

    /** The body cannot be read further: reset, malformed, too large, or the connection is gone. */
    synchronized void fail(IOException why) {
        if (failure == null && !(ended && isEmpty())) {
            failure = why;
            chunks = null;
            notifyAll();
        }
    }

    /** True once the client sent END_STREAM (or the body failed): nothing more will arrive. */
    synchronized boolean finished() {
        return ended || failure != null;
    }

    synchronized Headers trailers() {
        return trailers;
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
            return 0;
        }
        boolean first;
        synchronized (this) {
            first = !started && isEmpty() && !ended && failure == null;
            started = true;
        }
        if (first) {
            stream.continueIfExpected();
        }
        int n = 0;
        synchronized (this) {
            while (isEmpty()) {
                if (failure != null) {
                    throw failure;
                }
                if (ended) {
                    return -1;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail(new RequestBodyException(408, "request body not received in time"));
                    continue;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the request body");
                }
            }
            while (n < len && !isEmpty()) {
                byte[] c = chunks.peekFirst();
                int k = Math.min(len - n, c.length - pos);
                System.arraycopy(c, pos, b, off + n, k);
                n += k;
                pos += k;
                if (pos == c.length) {
                    chunks.pollFirst();
                    pos = 0;
                }
            }
        }
        stream.consumed(n);
        return n;
    }

    private boolean isEmpty() {
        return chunks == null || chunks.isEmpty();
    }

    @Override
    public synchronized int available() {
        if (chunks == null) {
            return 0;
        }
        long n = -pos;
        for (byte[] c : chunks) {
            n += c.length;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, n));
    }
}
