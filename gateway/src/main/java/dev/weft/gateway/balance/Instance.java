package dev.weft.gateway.balance;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

import dev.weft.gateway.client.ConnectionPool;

/**
 * One upstream instance: its address, its connection pool, the requests in flight to it, and its health as the
 * passive and active checks see it. An instance gets traffic while it is {@link #available}.
 */
public final class Instance {
    private final InetSocketAddress address;
    private final String name;
    private final ConnectionPool pool;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile long ejectedUntilNanos;
    private volatile boolean ejected;
    private volatile boolean activelyHealthy = true;

    public Instance(InetSocketAddress address, ConnectionPool pool) {
        this.address = address;
        this.name = address.getHostString() + ":" + address.getPort();
        this.pool = pool;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** {@code host:port}, as in metrics tags and logs. */
    public String name() {
        return name;
    }

    public ConnectionPool pool() {
        return pool;
    }

    /** Requests in flight to this instance now. */
    public int outstanding() {
        return outstanding.get();
    }

    public void begin() {
        outstanding.incrementAndGet();
    }

    public void end() {
        outstanding.decrementAndGet();
    }

    /** True when neither passive ejection nor a failed active check keeps the instance out. */
    public boolean available(long nowNanos) {
        return activelyHealthy && (!ejected || nowNanos - ejectedUntilNanos >= 0);
    }

    public boolean ejected(long nowNanos) {
        return ejected && nowNanos - ejectedUntilNanos < 0;
    }

    /** True from an ejection until the first success after it, even once the ejection has run out. */
    public boolean wasEjected() {
        return ejected;
    }

    public AtomicInteger consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Keeps the instance out of rotation until {@code untilNanos} ({@link System#nanoTime()} scale). */
    public void eject(long untilNanos) {
        ejectedUntilNanos = untilNanos;
        ejected = true;
    }

    public void readmit() {
        ejected = false;
    }

    public boolean activelyHealthy() {
        return activelyHealthy;
    }

    public void activelyHealthy(boolean healthy) {
        activelyHealthy = healthy;
    }

    @Override
    public String toString() {
        return name;
    }
}
