package dev.weft.gateway.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * One keep-alive HTTP/1.1 connection to an upstream instance, used by one exchange at a time.
 *
 * <p>An exchange writes a request with {@link #sendHead} (and {@link #sendBody}), reads the head with
 * {@link #readHead}, then the body from {@link #body}. When the body was read to its end, both sides allow
 * keep-alive and no byte is left over, the pool may hand the connection to the next exchange.
 */
public final class UpstreamConnection implements AutoCloseable {
    /** Owned by an exchange (or being opened), not waiting for a read. */
    private static final int OWNED = 0;
    /** The owner is parked in {@link #read}; the poller reads into {@link #readInto}. */
    private static final int WAITING = 1;
    /** The poller is reading for the owner. */
    private static final int FILLING = 2;
    /** Idle in the pool. */
    private static final int IDLE = 3;
    /** Owned, and input (or the end of the stream) is there: the owner's next read takes it itself. */
    private static final int READABLE = 4;
    /** As {@link #READABLE}, and the poller stopped watching the connection until the owner reads. */
    private static final int READABLE_UNWATCHED = 5;
    /** Input (or the end of the stream) arrived while idle in the pool: never handed out again. */
    private static final int STRAY = 6;
    private static final VarHandle STATE;
    private static final VarHandle WRITE_WAITER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(UpstreamConnection.class, "state", int.class);
            WRITE_WAITER = l.findVarHandle(UpstreamConnection.class, "writeWaiter", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SocketChannel channel;
    private final ConnectionPool pool;
    private final UpstreamPoller poller;
    private final SelectionKey key;
    private final HttpInput input;
    /** For the {@code FIONREAD} of {@link #take} alone: the channel is read by {@link #read}. */
    private final InputStream pending;
    private final OutputStream output;
    private boolean reused;
    private boolean reusable = true;
    private volatile long deadlineNanos;
    private volatile boolean timedOut;
    long idleSinceNanos;

    @SuppressWarnings("unused") // through STATE
    private volatile int state = OWNED;
    /** What the owner waits to read into, and who it is; written before the owner publishes WAITING. */
    private Thread reader;
    private ByteBuffer readInto;
    /** The poller's read for the owner: bytes, -1, or 0 with {@link #readFailure}; published by the state. */
    private int readResult;
    private IOException readFailure;
    @SuppressWarnings("unused") // through WRITE_WAITER
    private volatile Thread writeWaiter;

    UpstreamConnection(SocketChannel channel, ConnectionPool pool) throws IOException {
        this.channel = channel;
        this.pool = pool;
        this.poller = UpstreamPoller.get();
        this.input = new HttpInput(this);
        this.output = new ChannelOutput(8192);
        this.pending = channel.socket().getInputStream();
        channel.configureBlocking(false);
        this.key = poller.register(channel, this);
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
        return reusable && input.buffered() == 0 && channel.isOpen();
    }

    /** Puts a reusable connection in the pool's keeping: from now on any input is unsolicited. */
    boolean idle() {
        return STATE.compareAndSet(this, OWNED, IDLE);
    }

    /** Takes the connection out of the pool; false when it must not carry the next request ({@link #unsolicitedBytes}). */
    boolean take() {
        return STATE.compareAndSet(this, IDLE, OWNED) && !unsolicitedBytes();
    }

    /**
     * True when bytes arrived while the connection sat idle in the pool, or it cannot tell: nothing was asked, so
     * they are a response nobody asked for and the connection must not carry the next request (nginx's upstream
     * keep-alive closes such a connection on the read event; Go's transport logs "Unsolicited response received on
     * idle HTTP channel" and closes). The poller marks a connection that became readable while idle; one
     * {@code FIONREAD} ioctl covers bytes that arrived since its last round, no read and no park.
     */
    boolean unsolicitedBytes() {
        if (state == STRAY) {
            return true;
        }
        try {
            return input.buffered() > 0 || pending.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Reads up to {@code len} bytes into {@code b} from the socket: -1 at the end of the stream. Parks until the
     * poller has read them when none are known to be there.
     */
    int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            int s = state;
            if (s == READABLE || s == READABLE_UNWATCHED) {
                if (!STATE.compareAndSet(this, s, OWNED)) {
                    continue;
                }
                int n;
                try {
                    n = channel.read(ByteBuffer.wrap(b, off, len));
                } catch (IOException e) {
                    throw translate(e);
                } finally {
                    if (s == READABLE_UNWATCHED) {
                        watch();
                    }
                }
                if (n != 0) {
                    return n;
                }
                continue;
            }
            if (!channel.isOpen()) {
                throw translate(new ClosedChannelException());
            }
            reader = Thread.currentThread();
            readInto = ByteBuffer.wrap(b, off, len);
            readFailure = null;
            if (!STATE.compareAndSet(this, OWNED, WAITING)) {
                continue; // became readable meanwhile
            }
            if (!channel.isOpen()) {
                // closed between the check and the publication: the close may have missed the waiter
                if (STATE.compareAndSet(this, WAITING, OWNED)) {
                    throw translate(new ClosedChannelException());
                }
            }
            while ((s = state) == WAITING || s == FILLING) {
                LockSupport.park(this);
            }
            readInto = null;
            IOException failure = readFailure;
            if (failure != null) {
                readFailure = null;
                throw translate(failure);
            }
            if (readResult != 0) {
                return readResult;
            }
        }
    }

    private void watch() {
        try {
            key.interestOpsOr(SelectionKey.OP_READ);
            poller.wakeup();
        } catch (java.nio.channels.CancelledKeyException e) {
            // closed: the next read says so
        }
    }

    /** Called by the poller when the socket has input or reached its end. */
    void readable() {
        while (true) {
            int s = state;
            switch (s) {
                case WAITING -> {
                    if (!STATE.compareAndSet(this, WAITING, FILLING)) {
                        continue;
                    }
                    int n = 0;
                    try {
                        n = channel.read(readInto);
                    } catch (IOException e) {
                        readFailure = e;
                    }
                    if (n == 0 && readFailure == null) {
                        state = WAITING; // nothing after all: wait for the next event
                        if (channel.isOpen() || !STATE.compareAndSet(this, WAITING, FILLING)) {
                            return;
                        }
                        readFailure = new ClosedChannelException(); // closed meanwhile: close() missed the waiter
                    }
                    readResult = n;
                    Thread t = reader;
                    state = OWNED;
                    LockSupport.unpark(t);
                    return;
                }
                case OWNED -> {
                    if (STATE.compareAndSet(this, OWNED, READABLE)) {
                        return;
                    }
                }
                case READABLE -> {
                    // the owner is busy elsewhere (writing a body to a slow client): stop polling it meanwhile
                    if (STATE.compareAndSet(this, READABLE, READABLE_UNWATCHED)) {
                        unwatch();
                        return;
                    }
                }
                case IDLE -> {
                    if (STATE.compareAndSet(this, IDLE, STRAY)) {
                        unwatch();
                        return;
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    private void unwatch() {
        try {
            key.interestOpsAnd(~SelectionKey.OP_READ);
        } catch (java.nio.channels.CancelledKeyException e) {
            // closed meanwhile
        }
    }

    /** Called by the poller when a write that found the socket buffer full may go on. */
    void writable() {
        try {
            key.interestOpsAnd(~SelectionKey.OP_WRITE);
        } catch (java.nio.channels.CancelledKeyException e) {
            // closed meanwhile: the writer is woken by close
        }
        Thread t = (Thread) WRITE_WAITER.getAndSet(this, null);
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Writes all of {@code b}, parking while the socket buffer is full. */
    private void writeFully(ByteBuffer b) throws IOException {
        try {
            while (b.hasRemaining()) {
                if (channel.write(b) == 0) {
                    Thread me = Thread.currentThread();
                    writeWaiter = me;
                    key.interestOpsOr(SelectionKey.OP_WRITE);
                    poller.wakeup();
                    while (writeWaiter == me && channel.isOpen()) {
                        LockSupport.park(this);
                    }
                    writeWaiter = null;
                }
            }
        } catch (IOException e) {
            throw translate(e);
        } catch (java.nio.channels.CancelledKeyException e) {
            throw translate(new ClosedChannelException());
        }
    }

    @Override
    public void close() {
        pool.forget(this);
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket that failed: nothing left to release
        }
        // a registered channel's socket is released by the poller's next round; let it run now
        poller.wakeup();
        if (STATE.compareAndSet(this, WAITING, FILLING)) {
            readFailure = new ClosedChannelException();
            Thread t = reader;
            state = OWNED;
            LockSupport.unpark(t);
        }
        Thread w = (Thread) WRITE_WAITER.getAndSet(this, null);
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** The write side: a buffer in front of the channel, written out on flush. */
    private final class ChannelOutput extends OutputStream {
        private final byte[] buf;
        private int count;

        ChannelOutput(int size) {
            buf = new byte[size];
        }

        @Override
        public void write(int b) throws IOException {
            if (count == buf.length) {
                flush();
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len >= buf.length) {
                flush();
                writeFully(ByteBuffer.wrap(b, off, len));
                return;
            }
            if (len > buf.length - count) {
                flush();
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            if (count > 0) {
                ByteBuffer b = ByteBuffer.wrap(buf, 0, count);
                count = 0;
                writeFully(b);
            }
        }
    }
}
