package dev.weft.gateway.ratelimit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down the guessing of API keys and tokens: each failed authentication takes a token from the client IP's
 * failure bucket ({@code authfail:ip:...}, in the same {@link RateLimiter} as the other buckets, so shared through
 * Redis when they are), and once a failure finds that bucket empty, the IP is blocked until the next token is due.
 * A blocked IP gets 429 before its credential is checked, so a right guess cannot be told from a wrong one until
 * then, and guessing proceeds at {@code ratePerSecond} at most.
 *
 * <p>Requests that authenticate cost nothing here but one look-up of the IP in a local map: only failures reach the
 * limiter (and Redis). The block itself is local to this gateway instance; with shared buckets another instance
 * blocks the same IP at its first failure, since the bucket it asks is the same one.
 */
public final class FailedAuthLimit {
    private static final int MAX_BLOCKED = 100_000;

    private final RateLimiter limiter;
    private final LongSupplier nanoClock;
    /** Client IP to the {@code nanoClock} time its block ends. */
    private final ConcurrentHashMap<String, Long> blockedUntil = new ConcurrentHashMap<>();

    public FailedAuthLimit(RateLimiter limiter) {
        this(limiter, System::nanoTime);
    }

    /** With {@code nanoClock} as the time blocks end by, for tests. */
    public FailedAuthLimit(RateLimiter limiter, LongSupplier nanoClock) {
        this.limiter = limiter;
        this.nanoClock = nanoClock;
    }

    /** Milliseconds until {@code ip} may try again, or 0 when it is not blocked. */
    public long blockedFor(String ip) {
        Long until = blockedUntil.get(ip);
        if (until == null) {
            return 0;
        }
        long left = until - nanoClock.getAsLong();
        if (left <= 0) {
            blockedUntil.remove(ip, until);
            return 0;
        }
        return Math.max(1, left / 1_000_000);
    }

    /**
     * Records a failed authentication from {@code ip}. Returns 0 while the IP has failures left (answer 401), else
     * the milliseconds it is now blocked for (answer 429).
     */
    public long failed(String ip) {
        Decision d = limiter.acquire("authfail:ip:" + ip);
        if (d.allowed()) {
            return 0;
        }
        long wait = Math.max(1, d.retryAfterMillis());
        if (blockedUntil.size() >= MAX_BLOCKED) {
            long now = nanoClock.getAsLong();
            blockedUntil.values().removeIf(until -> until - now <= 0);
        }
        blockedUntil.put(ip, nanoClock.getAsLong() + wait * 1_000_000);
        return wait;
    }
}
