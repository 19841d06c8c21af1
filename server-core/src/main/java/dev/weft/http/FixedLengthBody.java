package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A request body of declared length: ends after exactly that many bytes, so the next pipelined request stays in
 * the connection's buffer. Reused across the requests of one connection.
 */
final class FixedLengthBody extends InputStream {
    private final Connection conn;
    private long remaining;
    private boolean started;

    FixedLengthBody(Connection conn) {
        this.conn = conn;
    }

    FixedLengthBody begin(long length) {
        remaining = length;
        started = false;
        return this;
    }

    /** True when the whole body has been read. */
    boolean done() {
        return remaining == 0;
    }

    long remaining() {
        return remaining;
    }

    @Override
    public int read() throws IOException {
        if (remaining > 0 && started && conn.buffered() > 0) {
            remaining--;
            return conn.buf[conn.start++] & 0xFF;
        }
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (remaining == 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if (!started) {
            started = true;
            conn.continueIfExpected();
        }
        if (conn.buffered() == 0) {
            conn.fillBody();
        }
        int n = (int) Math.min(Math.min(len, remaining), conn.buffered());
        conn.take(b, off, n);
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(1, Math.min(n, remaining)))];
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(remaining, conn.buffered());
    }
}
