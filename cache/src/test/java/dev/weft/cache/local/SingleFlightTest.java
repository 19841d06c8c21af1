package dev.weft.cache.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.weft.testkit.Eventually;

class SingleFlightTest {
    private final SingleFlight<String, String> flights = new SingleFlight<>();

    @Test
    void waitersShareTheRunnersExceptionAndTheKeyIsFreeAfterwards() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IllegalStateException failure = new IllegalStateException("database down");
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger shared = new AtomicInteger();
        AtomicInteger ranAnew = new AtomicInteger();
        List<Future<?>> callers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            callers.add(threads.submit(() -> flights.run("k", () -> {
                runs.incrementAndGet();
                running.countDown();
                awaitUninterruptibly(release);
                throw failure;
            })));
            running.await();
            List<Thread> waiters = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Thread t = Thread.ofVirtual().unstarted(() -> {
                    try {
                        assertEquals("second run", flights.run("k", () -> {
                            runs.incrementAndGet();
                            return "second run";
                        }));
                        ranAnew.incrementAndGet();
                    } catch (IllegalStateException e) {
                        assertSame(failure, e);
                        shared.incrementAndGet();
                    }
                });
                waiters.add(t);
                t.start();
            }
            // A caller that joined the flight waits on its future; one that has not run yet is not WAITING.
            Eventually.await(Duration.ofSeconds(10), "every caller waits for the run in flight",
                    () -> waiters.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
            release.countDown();
            for (Thread t : waiters) {
                t.join();
            }
        }
        java.util.concurrent.ExecutionException runner = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> callers.get(0).get());
        assertSame(failure, runner.getCause());
        assertEquals(10, shared.get(), "every caller that arrived during the run shared its failure");
        assertEquals(0, ranAnew.get());
        assertEquals(1, runs.get());
        assertEquals(0, flights.inFlight());
        assertEquals("fresh", flights.run("k", () -> "fresh"));
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
