package dev.weft.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
        AtomicLong now = new AtomicLong();
        LocalRateLimiter limiter = new LocalRateLimiter(200, 20, now::get);
        assertEquals(20, race(limiter), "while the clock stands still, 8 threads get exactly the burst");
        now.set(100_000_000L);
        assertEquals(20, race(limiter), "and exactly the 20 tokens that 100 ms at 200 per second refill");
    }

    /** Eight threads, released together, try 1,000 acquisitions each; how many were admitted. */
    private static int race(LocalRateLimiter limiter) throws InterruptedException {
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1000; i++) {
                    if (limiter.acquire("shared").allowed()) {
                        admitted.incrementAndGet();
                    }
                }
            });
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        return admitted.get();
    }
}
