package dev.weft.cache.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class ThreadCountsTest {
    @Test
    void countsAreExactOnceTheCountingThreadsAreJoined() throws Exception {
        ThreadCounts counts = new ThreadCounts(3);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int index = t % 3;
            Runnable count = () -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 100_000; i++) {
                    counts.increment(index);
                    counts.increment(0);
                }
            };
            threads.add(t < 3 ? Thread.ofPlatform().start(count) : Thread.ofVirtual().start(count));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(6 * 100_000 + 2 * 100_000, counts.sum(0));
        assertEquals(2 * 100_000, counts.sum(1));
        assertEquals(2 * 100_000, counts.sum(2));
    }

    @Test
    void theCellsOfTerminatedThreadsAreFoldedAndTheirSlotsReused() throws Exception {
        ThreadCounts counts = new ThreadCounts(1);
        counts.increment(0);
        for (int round = 0; round < 10; round++) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 1_000; t++) {
                threads.add(Thread.ofVirtual().start(() -> counts.increment(0)));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(1 + 1_000L * (round + 1), counts.sum(0));
        }
        assertEquals(1, counts.cells(), "after a read only this thread's cell is left");
        counts.increment(0);
        assertEquals(10_002, counts.sum(0), "this thread keeps counting into its cell");
    }

    @Test
    void threadsWhoseSlotIsTakenCountExactlyToo() throws Exception {
        ThreadCounts counts = new ThreadCounts(1);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 600; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 1_000; i++) {
                    counts.increment(0);
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(600_000, counts.sum(0), "600 live threads over 256 slots: some counted in the shared adder");
    }

    @Test
    void aSizeOutsideOneToFifteenIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ThreadCounts(0));
        assertThrows(IllegalArgumentException.class, () -> new ThreadCounts(ThreadCounts.MAX_SIZE + 1));
        ThreadCounts full = new ThreadCounts(ThreadCounts.MAX_SIZE);
        full.increment(ThreadCounts.MAX_SIZE - 1);
        assertEquals(1, full.sum(ThreadCounts.MAX_SIZE - 1));
        assertEquals(0, full.sum(0), "the last counter of a slot is not the first of the next");
    }
}
