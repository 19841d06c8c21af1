package dev.weft.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The failure bucket and the block it leads to, on an injected clock. */
class FailedAuthLimitTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final FailedAuthLimit limit = new FailedAuthLimit(new LocalRateLimiter(1, 2, now::get), now::get);

    private void advanceMillis(long ms) {
        now.addAndGet(ms * 1_000_000);
    }

    @Test
    void blocksAnAddressOnceItsFailuresRunOutUntilTheNextIsDue() {
        assertEquals(0, limit.blockedFor("10.0.0.1"));
        assertEquals(0, limit.failed("10.0.0.1"));
        assertEquals(0, limit.failed("10.0.0.1"));
        assertEquals(1000, limit.failed("10.0.0.1"), "the burst of 2 is spent: blocked for one token's time");
        assertEquals(1000, limit.blockedFor("10.0.0.1"));
        assertEquals(0, limit.blockedFor("10.0.0.2"), "per client address");
        assertEquals(0, limit.failed("10.0.0.2"));

        advanceMillis(999);
        assertEquals(1, limit.blockedFor("10.0.0.1"));
        advanceMillis(1);
        assertEquals(0, limit.blockedFor("10.0.0.1"), "the block ends when a token is due");
        assertEquals(0, limit.failed("10.0.0.1"), "which the next failure takes");
        assertEquals(1000, limit.failed("10.0.0.1"), "and the one after that is blocked again");
    }
}
