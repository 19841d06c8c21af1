package dev.weft.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class LocalRateLimiterTest {
    @Test
    void burstThenRefillAtTheRate() {
        long[] now = {0};
        LocalRateLimiter limiter = new LocalRateLimiter(10, 5, () -> now[0]);
        for (int i = 0; i < 5; i++) {
            Decision d = limiter.acquire("a");
            assertTrue(d.allowed(), "burst token " + i);
            assertEquals(5, d.limit());
            assertEquals(4 - i, d.remaining());
        }
        Decision denied = limiter.acquire("a");
        assertFalse(denied.allowed());
        assertEquals(100, denied.retryAfterMillis(), "one token every 100 ms at 10 per second: " + denied);
        assertTrue(limiter.acquire("b").allowed(), "keys have their own buckets");
        now[0] = 99_000_000L;
        assertFalse(limiter.acquire("a").allowed(), "0.99 of a token after 99 ms");
        now[0] = 250_000_000L;
        assertTrue(limiter.acquire("a").allowed(), "2.5 tokens after 250 ms");
        assertTrue(limiter.acquire("a").allowed(), "the second of them");
        assertFalse(limiter.acquire("a").allowed(), "and no third");
    }

    @Test
    void admitsExactlyBurstPlusRateTimesTime() {
        long[] now = {0};
        LocalRateLimiter limiter = new LocalRateLimiter(200, 10, () -> now[0]);
        int admitted = 0;
        for (int ms = 0; ms <= 10_000; ms++) {
            now[0] = ms * 1_000_000L;
            for (int i = 0; i < 3; i++) {
                if (limiter.acquire("k").allowed()) {
                    admitted++;
                }
            }
        }
        assertEquals(10 + 200 * 10, admitted);
    }

    @Test
    void neverOverAdmitsUnderConcurrency() throws Exception {
        double rate = 200;
        int burst = 20;
        LocalRateLimiter limiter = new LocalRateLimiter(rate, burst);
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(8);
        long start = System.nanoTime();
        limiter.acquire("shared");
        admitted.incrementAndGet();
        long end = start + 500_000_000L;
        for (int t = 0; t < 8; t++) {
            Thread.startVirtualThread(() -> {
                while (System.nanoTime() < end) {
                    if (limiter.acquire("shared").allowed()) {
                        admitted.incrementAndGet();
                    }
                    Thread.yield();
                }
                done.countDown();
            });
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(admitted.get() <= burst + rate * seconds + 1, admitted + " in " + seconds + " s");
        assertTrue(admitted.get() >= burst + rate * 0.25, "and admits while tokens are there: " + admitted);
    }
}
