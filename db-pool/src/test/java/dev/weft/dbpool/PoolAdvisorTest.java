package dev.weft.dbpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The verdict rules on meters shaped like HikariCP's, with a clock the test moves. */
class PoolAdvisorTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong clock = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();
    private Timer acquire;
    private Timer usage;
    private Counter timeout;
    private PoolAdvisor advisor;

    @BeforeEach
    void meters() {
        acquire = registry.timer("hikaricp.connections.acquire", "pool", "p");
        usage = registry.timer("hikaricp.connections.usage", "pool", "p");
        timeout = registry.counter("hikaricp.connections.timeout", "pool", "p");
        Gauge.builder("hikaricp.connections.pending", pending, AtomicInteger::get).tag("pool", "p").register(registry);
        Gauge.builder("hikaricp.connections.max", () -> 10).tag("pool", "p").register(registry);
        advisor = new PoolAdvisor(registry, "p", clock::get);
    }

    /** {@code count} hand-outs, each waiting {@code waitMicros} and holding {@code holdMillis}, over one second. */
    private void second(int count, long waitMicros, long holdMillis) {
        for (int i = 0; i < count; i++) {
            acquire.record(waitMicros, TimeUnit.MICROSECONDS);
            usage.record(holdMillis, TimeUnit.MILLISECONDS);
        }
        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void noHandOutsMeansNoVerdict() {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertEquals(PoolAdvice.Verdict.NO_TRAFFIC, advisor.advise().verdict());
    }

    @Test
    void timeoutsMeanTooSmall() {
        second(100, 50, 20);
        for (int i = 0; i < 3; i++) { // as HikariCP does: a timed-out wait is timed, then counted
            acquire.record(10, TimeUnit.SECONDS);
            timeout.increment();
        }
        PoolAdvice a = advisor.advise();
        assertEquals(PoolAdvice.Verdict.TOO_SMALL, a.verdict(), a::toString);
        assertEquals(3, a.timeouts());
        assertEquals(103, a.requests());
        assertTrue(a.explanation().contains("3 callers timed out"), a::toString);
    }

    @Test
    void waitingLongerThanHoldingMeansTooSmall() {
        second(400, 30_000, 25); // 400/s x 25 ms = 10 busy of 10, waiting 30 ms each
        pending.set(12);
        PoolAdvice a = advisor.advise();
        assertEquals(PoolAdvice.Verdict.TOO_SMALL, a.verdict(), a::toString);
        assertEquals(10.0, a.busyConnections(), 1e-9);
        assertEquals(12, a.pending());
        assertEquals(27, a.suggestedSize(), "400/s x 55 ms = 22 wanted, +20%");
    }

    @Test
    void fewBusyAndNoWaitMeansTooLarge() {
        second(100, 20, 20); // 2 busy of 10
        PoolAdvice a = advisor.advise();
        assertEquals(PoolAdvice.Verdict.TOO_LARGE, a.verdict(), a::toString);
        assertEquals(0.2, a.utilization(), 1e-9);
        assertEquals(3, a.suggestedSize(), "2 busy +20% rounds up to 3");
    }

    @Test
    void wellUsedWithShortWaitsIsRight() {
        second(300, 200, 25); // 7.5 busy of 10, 0.2 ms waits
        PoolAdvice a = advisor.advise();
        assertEquals(PoolAdvice.Verdict.RIGHT, a.verdict(), a::toString);
        assertEquals(10, a.suggestedSize());
    }

    @Test
    void behindTheFairQueueItsMetersCount() {
        Timer queueWait = registry.timer(FailFastDataSource.WAIT, "pool", "p");
        Counter queueTimeouts = registry.counter(FailFastDataSource.TIMEOUTS, "pool", "p");
        Counter rejected = registry.counter(FailFastDataSource.REJECTED, "pool", "p");
        AtomicInteger queued = new AtomicInteger(7);
        Gauge.builder(FailFastDataSource.WAITING, queued, AtomicInteger::get).tag("pool", "p").register(registry);
        PoolAdvisor queueAware = new PoolAdvisor(registry, "p", clock::get);
        for (int i = 0; i < 100; i++) {
            queueWait.record(5, TimeUnit.MILLISECONDS);
            acquire.record(10, TimeUnit.MICROSECONDS);
            usage.record(20, TimeUnit.MILLISECONDS);
        }
        rejected.increment(4);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        PoolAdvice a = queueAware.advise();
        assertEquals(PoolAdvice.Verdict.TOO_SMALL, a.verdict(), a::toString);
        assertEquals("4 callers were turned away by the bulkhead", a.explanation());
        assertEquals(4, a.rejected());
        assertEquals(0, a.timeouts(), "HikariCP's counter is not the one read behind the queue");
        assertEquals(5.0, a.meanAcquire().toNanos() / 1e6, 1e-9, "the wait in the queue, not HikariCP's 10 us");
        assertEquals(7, a.pending());
        assertEquals(0, queueTimeouts.count());
    }

    @Test
    void eachAdviceJudgesOnlyItsOwnWindow() {
        second(100, 50, 20);
        timeout.increment();
        assertEquals(PoolAdvice.Verdict.TOO_SMALL, advisor.advise().verdict());
        second(300, 200, 25);
        PoolAdvice a = advisor.advise();
        assertEquals(PoolAdvice.Verdict.RIGHT, a.verdict(), a::toString);
        assertEquals(300, a.requests());
        assertEquals(0, a.timeouts());
    }
}
