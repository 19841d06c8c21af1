package dev.weft.gateway.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Keep-alive connections to one upstream instance.
 *
 * <p>{@link #acquire} hands out the most recently returned idle connection (last in, first out: the warmest one,
 * and the others age out when load drops) or opens a new one; {@link #release} keeps it for the next exchange if
 * it is reusable and fewer than {@code maxIdle} are idle, else closes it. There is no cap on open connections:
 * the server's connection limit already bounds concurrency, and a cap here would add a queue in front of every
 * instance. Connections idle for longer than {@code idleTimeout} are closed when met, and by {@link #evictIdle}; so
 * is one on which bytes arrived while it was idle ({@link UpstreamConnection#unsolicitedBytes}).
 */
public final class ConnectionPool implements AutoCloseable {
    private final InetSocketAddress address;
    private final int maxIdle;
    private final long idleTimeoutNanos;
    /** Most recently returned first; guarded by itself (held for a push or pop only, never across I/O). */
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private final java.util.Set<UpstreamConnection> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public ConnectionPool(InetSocketAddress address, int maxIdle, Duration idleTimeout) {
        this.address = address;
        this.maxIdle = maxIdle;
        this.idleTimeoutNanos = idleTimeout.toNanos();
    }

    public InetSocketAddress address() {
        return address;
    }

    /** An idle pooled connection, or a new one opened within {@code connectTimeoutMillis}. */
    public UpstreamConnection acquire(int connectTimeoutMillis) throws IOException {
        long now = System.nanoTime();
        UpstreamConnection c;
        while ((c = pollIdle()) != null) {
            if (now - c.idleSinceNanos < idleTimeoutNanos && !c.unsolicitedBytes()) {
                return c.reuse();
            }
            c.close();
        }
        return open(connectTimeoutMillis);
    }

    /** A new connection, never a pooled one: for health checks, and for a retry after a stale pooled one. */
    public UpstreamConnection open(int connectTimeoutMillis) throws IOException {
        if (closed) {
            throw new IOException("instance " + address + " was removed from its upstream group");
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, Math.max(1, connectTimeoutMillis));
            UpstreamConnection c = new UpstreamConnection(socket, this);
            open.add(c);
            return c;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Returns a connection after its exchange: pooled when reusable and there is room, else closed. */
    public void release(UpstreamConnection c) {
        if (closed || !c.reusable()) {
            c.close();
            return;
        }
        c.deadline(0);
        c.idleSinceNanos = System.nanoTime();
        boolean kept;
        synchronized (idle) {
            kept = idle.size() < maxIdle;
            if (kept) {
                idle.addFirst(c);
            }
        }
        if (!kept) {
            c.close();
        }
    }

    private UpstreamConnection pollIdle() {
        synchronized (idle) {
            return idle.pollFirst();
        }
    }

    /** Closes the connections whose {@link UpstreamConnection#deadline} passed; the gateway calls it every 10 ms. */
    public void sweep(long now) {
        for (UpstreamConnection c : open) {
            if (c.expired(now)) {
                c.expire();
            }
        }
    }

    void forget(UpstreamConnection c) {
        open.remove(c);
    }

    /** Connections open now, idle or in use. */
    public int openCount() {
        return open.size();
    }

    /** Idle connections now. */
    public int idleCount() {
        synchronized (idle) {
            return idle.size();
        }
    }

    /** Closes the connections idle for longer than the idle timeout (the oldest sit at the tail). */
    public void evictIdle() {
        long now = System.nanoTime();
        while (true) {
            UpstreamConnection c;
            synchronized (idle) {
                c = idle.peekLast();
                if (c == null || now - c.idleSinceNanos < idleTimeoutNanos) {
                    return;
                }
                idle.pollLast();
            }
            c.close();
        }
    }

    /** Closes every idle connection; connections in use are closed when released. */
    @Override
    public void close() {
        closed = true;
        UpstreamConnection c;
        while ((c = pollIdle()) != null) {
            c.close();
        }
    }
}
