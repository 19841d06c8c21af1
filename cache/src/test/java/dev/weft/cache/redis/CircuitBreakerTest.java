package dev.weft.cache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final CircuitBreaker breaker = new CircuitBreaker(3, 100, now::get);

    @Test
    void opensAfterConsecutiveFailuresOnly() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess();
        breaker.onFailure();
        breaker.onFailure();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertTrue(breaker.allow());
        breaker.onFailure();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertFalse(breaker.allow());
        assertEquals(1, breaker.timesOpened());
    }

    @Test
    void afterTheOpenPeriodExactlyOneProbeGoesThroughAndDecides() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
        now.addAndGet(100);
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
        assertTrue(breaker.allow(), "the probe");
        assertFalse(breaker.allow(), "only one probe at a time");
        breaker.onFailure();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "a failed probe opens it again");
        assertFalse(breaker.allow());
        now.addAndGet(100);
        assertTrue(breaker.allow());
        breaker.onSuccess();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertTrue(breaker.allow());
        assertTrue(breaker.allow());
    }

    @Test
    void toldWhenItOpensAndWhenItClosesNotWhenHalfOpen() {
        AtomicInteger changes = new AtomicInteger();
        CircuitBreaker told = new CircuitBreaker(2, 100, now::get, changes::incrementAndGet);
        told.onFailure();
        told.onSuccess();
        assertEquals(0, changes.get(), "a failure below the threshold changes nothing");
        told.onFailure();
        told.onFailure();
        assertEquals(1, changes.get(), "opened");
        now.addAndGet(100);
        assertTrue(told.allow(), "the probe");
        assertEquals(CircuitBreaker.State.HALF_OPEN, told.state());
        told.onFailure();
        assertEquals(1, changes.get(), "a failed probe leaves it open");
        now.addAndGet(100);
        assertTrue(told.allow());
        told.onSuccess();
        assertEquals(2, changes.get(), "closed");
        told.onSuccess();
        assertEquals(2, changes.get());
    }
}
