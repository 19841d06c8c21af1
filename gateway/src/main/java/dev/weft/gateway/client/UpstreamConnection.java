package dev.weft.gateway.client;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * One keep-alive HTTP/1.1 connection to an upstream instance, used by one exchange at a time.
 *
 * <p>An exchange writes a request with {@link #send}, reads the head with {@link #readHead}, then the body from
 * {@link #body}. When the body was read to its end and both sides allow keep-alive, the pool may hand the
 * connection to the next exchange.
 */
public final class UpstreamConnection implements AutoCloseable {
    private final Socket socket;
    private final ConnectionPool pool;
    private final HttpInput input;
    private final OutputStream output;
    private boolean reused;
    private boolean reusable = true;
    private volatile long deadlineNanos;
    private volatile boolean timedOut;
    long idleSinceNanos;

    UpstreamConnection(Socket socket, ConnectionPool pool) throws IOException {
        this.socket = socket;
        this.pool = pool;
        this.input = new HttpInput(socket.getInputStream(), this);
        this.output = new BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    /** Marks the connection as taken from the pool for a new exchange. */
    UpstreamConnection reuse() {
        reused = true;
        return this;
    }

    /** True when this connection served an earlier exchange: a failure before any byte may mean it went stale. */
    public boolean reused() {
        return reused;
    }

    HttpInput input() {
        return input;
    }

    /**
     * Sets when the current wait for the upstream must end ({@link System#nanoTime()} scale; 0 for never). The
     * pool's {@link ConnectionPool#sweep} closes a connection whose deadline passed, and the blocked read or write
     * then fails with a {@link SocketTimeoutException}.
     *
     * <p>Deadlines are enforced by a sweep rather than by a socket read timeout because a read with a timeout
     * parks its virtual thread with a timer, which costs a scheduled task per read; a sweep every few milliseconds
     * costs nothing per request but a volatile write.
     */
    public void deadline(long nanos) {
        deadlineNanos = nanos;
    }

    boolean expired(long now) {
        long d = deadlineNanos;
        return d != 0 && now - d >= 0;
    }

    /** Closes the connection because its deadline passed. */
    void expire() {
        timedOut = true;
        close();
    }

    /** {@code e}, or a {@link SocketTimeoutException} when it came from closing the connection at its deadline. */
    IOException translate(IOException e) {
        if (timedOut && !(e instanceof SocketTimeoutException)) {
            SocketTimeoutException t = new SocketTimeoutException("upstream deadline passed");
            t.initCause(e);
            return t;
        }
        return e;
    }

    /** Writes and flushes a request head; a request with a body continues with {@link #sendBody}. */
    public void sendHead(byte[] head) throws IOException {
        sendHead(head, head.length);
    }

    /** Writes and flushes the first {@code length} bytes of {@code head} as a request head. */
    public void sendHead(byte[] head, int length) throws IOException {
        try {
            output.write(head, 0, length);
            output.flush();
        } catch (IOException e) {
            throw translate(e);
        }
    }

    /**
     * Writes a request body: exactly {@code contentLength} bytes from {@code body} when positive (the head carried
     * that Content-Length), chunked coding when -1 (the head said {@code Transfer-Encoding: chunked}). Each piece
     * is flushed as soon as it was read, so the upstream sees the bytes as the client sends them.
     *
     * @throws ClientBodyException when reading {@code body} failed, as opposed to writing upstream
     */
    public void sendBody(InputStream body, long contentLength) throws IOException {
        byte[] buffer = new byte[(int) (contentLength > 0 ? Math.min(contentLength, 16 * 1024) : 16 * 1024)];
        ChunkedOutputStream chunked = contentLength < 0 ? new ChunkedOutputStream(output) : null;
        long left = contentLength;
        while (left != 0) {
            int n = readClientBody(body, buffer, (int) (left > 0 ? Math.min(buffer.length, left) : buffer.length));
            if (n < 0) {
                if (left > 0) {
                    throw new ClientBodyException("the client's body ended " + left + " bytes early");
                }
                try {
                    chunked.finish();
                } catch (IOException e) {
                    throw translate(e);
                }
                break;
            }
            try {
                if (chunked != null) {
                    chunked.write(buffer, 0, n);
                } else {
                    output.write(buffer, 0, n);
                    left -= n;
                }
                output.flush();
            } catch (IOException e) {
                throw translate(e);
            }
        }
        try {
            output.flush();
        } catch (IOException e) {
            throw translate(e);
        }
    }

    private static int readClientBody(InputStream body, byte[] buffer, int len) throws ClientBodyException {
        try {
            return body.read(buffer, 0, len);
        } catch (IOException e) {
            throw new ClientBodyException("reading the client's body failed: " + e.getMessage(), e);
        }
    }

    /** Reads the response head, skipping 1xx interim responses. */
    public ResponseHead readHead() throws IOException {
        ResponseHead head = input.readHead();
        if (!head.keepAlive()) {
            reusable = false;
        }
        return head;
    }

    /** The body of {@code head}, a response to {@code method}. */
    public ResponseBody body(ResponseHead head, String method) throws MalformedResponseException {
        return ResponseBody.of(this, head, method);
    }

    /** Bytes received on this connection in all its exchanges. */
    public long received() {
        return input.received();
    }

    void markNotReusable() {
        reusable = false;
    }

    /** True when the connection may carry another exchange: keep-alive on both sides and no bytes left unread. */
    boolean reusable() {
        return reusable && input.buffered() == 0 && !socket.isClosed();
    }

    @Override
    public void close() {
        pool.forget(this);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that failed: nothing left to release
        }
    }
}
