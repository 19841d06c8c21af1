package dev.weft.gateway.ratelimit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * In-process token buckets: exact within this process, and independent per gateway instance (n instances admit
 * up to n times the rate). A bucket is created full when its key is first seen. When more than {@code maxKeys}
 * buckets exist, buckets that have refilled completely are dropped: a full bucket is the same as no bucket.
 */
public final class LocalRateLimiter implements RateLimiter {
    private static final int MAX_KEYS = 100_000;

    private final double ratePerNano;
    private final double ratePerSecond;
    private final int burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public LocalRateLimiter(double ratePerSecond, int burst) {
        this(ratePerSecond, burst, System::nanoTime);
    }

    /** With {@code clock} in nanoseconds instead of {@link System#nanoTime()}, for tests. */
    public LocalRateLimiter(double ratePerSecond, int burst, LongSupplier clock) {
        this.clock = clock;
        this.ratePerSecond = ratePerSecond;
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
    }

    @Override
    public Decision acquire(String key) {
        Bucket b = buckets.get(key);
        if (b == null) {
            if (buckets.size() >= MAX_KEYS) {
                evictFull();
            }
            b = buckets.computeIfAbsent(key, k -> new Bucket(burst, clock.getAsLong()));
        }
        return b.take(clock.getAsLong());
    }

    private void evictFull() {
        long now = clock.getAsLong();
        buckets.values().removeIf(b -> b.fullAt(now));
    }

    private final class Bucket {
        private double tokens;
        private long lastNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.lastNanos = now;
        }

        synchronized Decision take(long now) {
            refill(now);
            boolean allowed = tokens >= 1;
            if (allowed) {
                tokens -= 1;
            }
            return Decision.of(allowed, tokens, ratePerSecond, burst);
        }

        synchronized boolean fullAt(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            if (now > lastNanos) {
                tokens = Math.min(burst, tokens + (now - lastNanos) * ratePerNano);
                lastNanos = now;
            }
        }
    }
}
