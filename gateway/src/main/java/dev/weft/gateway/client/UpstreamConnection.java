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
 * <p>An exchange writes a request with {@link #sendHead} (and {@link #sendBody}), reads the head with
 * {@link #readHead}, then the body from {@link #body}. When the body was read to its end, both sides allow
 * keep-alive and no byte is left over, the pool may hand the connection to the next exchange.
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

    /**
     * Reads the head of the response to a {@code method} request, skipping 1xx interim responses, and starts its
     * body: a chunked body's framing that arrived with the head is checked now, so that a malformed one is refused
     * before the status reaches the client.
     *
     * @throws MalformedResponseException when server-core's codec refuses the head or the framing read so far; the
     *                                    connection must then be closed
     */
    public ResponseHead readHead(String method) throws IOException {
        ResponseHead head = input.readHead("HEAD".equals(method));
        if (!head.keepAlive()) {
            reusable = false;
        }
        if (head.parsed().framing() == dev.weft.http.codec.ResponseHead.Framing.CHUNKED) {
            input.startChunked();
        }
        return head;
    }

    /** The body of {@code head}, the response {@link #readHead} just read. */
    public ResponseBody body(ResponseHead head) {
        return new ResponseBody(this, head);
    }

    /** Bytes received on this connection in all its exchanges. */
    public long received() {
        return input.received();
    }

    void markNotReusable() {
        reusable = false;
    }

    /**
     * True when the connection may carry another exchange: keep-alive on both sides, the body read to its end, and
     * no byte left over after it. Bytes past a response's end are a response nobody asked for (an upstream that
     * framed its body one way and sent it another, or answered twice); on a reused connection they would be read as
     * the answer to the next client's request, so the connection is closed instead.
     */
    boolean reusable() {
        return reusable && input.buffered() == 0 && !socket.isClosed();
    }

    /**
     * True when bytes arrived while the connection sat idle in the pool, or it cannot tell: nothing was asked, so
     * they are a response nobody asked for and the connection must not carry the next request (nginx's upstream
     * keep-alive closes such a connection on the read event; Go's transport logs "Unsolicited response received on
     * idle HTTP channel" and closes). One {@code FIONREAD} ioctl, no read and no park.
     */
    boolean unsolicitedBytes() {
        try {
            return input.buffered() > 0 || socket.getInputStream().available() > 0;
        } catch (IOException e) {
            return true;
        }
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
