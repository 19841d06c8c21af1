package dev.weft.cache.redis;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Stops calling Redis after {@code failureThreshold} consecutive failures, for {@code openNanos}; then lets exactly
 * one probe call through (half-open): its success closes the breaker, its failure opens it again. While open, a
 * cache read costs no network time at all: it is an immediate miss and goes to the loader.
 *
 * <p>Lock-free: one counter, one deadline, one probe flag. Thread-safe.
 *
 * <p>{@code onOpenOrClose} runs on the calling thread each time the breaker opens or closes (half-open is still open),
 * possibly more than once for one change when calls race: the caches decide from it whether L1 may be read
 * ({@code Caches}), so that a hit does not ask the breaker.
 */
public final class CircuitBreaker {
    /** The breaker's state, as exported by the {@code cache.redis.breaker} gauge (0, 1, 2). */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failureThreshold;
    private final long openNanos;
    private final LongSupplier nanoClock;
    private final Runnable onOpenOrClose;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final AtomicInteger timesOpened = new AtomicInteger();
    private volatile long openUntil;
    private volatile boolean open;

    public CircuitBreaker(int failureThreshold, long openNanos, LongSupplier nanoClock) {
        this(failureThreshold, openNanos, nanoClock, () -> {});
    }

    public CircuitBreaker(int failureThreshold, long openNanos, LongSupplier nanoClock, Runnable onOpenOrClose) {
        this.failureThreshold = failureThreshold;
        this.openNanos = openNanos;
        this.nanoClock = nanoClock;
        this.onOpenOrClose = onOpenOrClose;
    }

    /**
     * Whether a call may go to Redis now. Closed: yes. Open: no, until the open period ends; then yes for exactly
     * one caller (the probe), who must report {@link #onSuccess()} or {@link #onFailure()}.
     */
    public boolean allow() {
        if (!open) {
            return true;
        }
        if (nanoClock.getAsLong() - openUntil < 0) {
            return false;
        }
        return probing.compareAndSet(false, true);
    }

    public void onSuccess() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
        if (open) {
            open = false;
            probing.set(false);
            onOpenOrClose.run();
        }
    }

    public void onFailure() {
        int failures = consecutiveFailures.incrementAndGet();
        if (open) {
            if (probing.get()) {
                openUntil = nanoClock.getAsLong() + openNanos;
                probing.set(false);
            }
        } else if (failures >= failureThreshold) {
            openUntil = nanoClock.getAsLong() + openNanos;
            open = true;
            timesOpened.incrementAndGet();
            onOpenOrClose.run();
        }
    }

    public State state() {
        if (!open) {
            return State.CLOSED;
        }
        return probing.get() || nanoClock.getAsLong() - openUntil >= 0 ? State.HALF_OPEN : State.OPEN;
    }

    /** How many times the breaker went from closed to open since it was made. */
    public int timesOpened() {
        return timesOpened.get();
    }
}
