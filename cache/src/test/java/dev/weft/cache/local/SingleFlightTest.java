package dev.weft.cache.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class SingleFlightTest {
    private final SingleFlight<String, String> flights = new SingleFlight<>();

    @Test
    void waitersShareTheRunnersExceptionAndTheKeyIsFreeAfterwards() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IllegalStateException failure = new IllegalStateException("database down");
        AtomicInteger runs = new AtomicInteger();
        List<Future<?>> callers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            callers.add(threads.submit(() -> flights.run("k", () -> {
                runs.incrementAndGet();
                running.countDown();
                awaitUninterruptibly(release);
                throw failure;
            })));
            running.await();
            for (int i = 0; i < 10; i++) {
                callers.add(threads.submit(() -> flights.run("k", () -> {
                    runs.incrementAndGet();
                    return "second run";
                })));
            }
            while (flights.inFlight() != 1) {
                Thread.onSpinWait();
            }
            Thread.sleep(100);
            release.countDown();
        }
        // A caller the scheduler started only after the run ended runs anew; every other one shares the failure.
        int shared = 0;
        int ranAnew = 0;
        for (Future<?> caller : callers) {
            try {
                assertEquals("second run", caller.get());
                ranAnew++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertSame(failure, e.getCause());
                shared++;
            }
        }
        assertEquals(11, shared + ranAnew);
        assertEquals(1 + ranAnew, runs.get());
        assertTrue(shared >= 2, "callers that arrived during the run shared it: " + shared);
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
