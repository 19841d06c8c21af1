package dev.weft.cache;

import static dev.weft.cache.TestProducts.config;
import static dev.weft.cache.TestProducts.gets;
import static dev.weft.cache.TestProducts.products;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.weft.cache.TestProducts.CountingLoader;
import dev.weft.cache.TestProducts.Product;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Local mode: the read path without Redis (unit tests; nothing here talks to a server). The node reads a
 * {@link ManualClock}, so expiry is tested by moving the clock, not by waiting.
 */
class LocalModeTest {
    /** The settings of the caches that need other than the defaults. */
    private static final String CONFIG = """
            mode: local
            caches:
              nulls: {nullTtl: 200ms}
              nulls-off: {nullTtl: 0s}
              ttl: {earlyRefreshBeta: 0, localTtl: 50ms, ttl: 1s, ttlJitter: 0s}
              single-flight: {crossNodeLock: true}
              xfetch: {ttl: 10m, ttlJitter: 0s, earlyRefreshBeta: 4}
              near-end: {ttl: 10m, ttlJitter: 0s, earlyRefreshBeta: 4}
            """;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ManualClock clock = new ManualClock();
    private final Caches node = Caches.open(config(CONFIG), registry, clock);
    private final CountingLoader loads = new CountingLoader();

    @AfterEach
    void closeNode() {
        node.close();
    }

    @Test
    void aMissLoadsOnceAndTheNextReadsAreL1Hits() {
        Cache<Long, Product> cache = products(node, "hit");
        for (int i = 0; i < 3; i++) {
            assertEquals(new Product(1, "product 1", 100), cache.get(1L, loads));
        }
        assertEquals(1, loads.calls());
        assertEquals(1, gets(registry, "hit", "l1", "miss"));
        assertEquals(2, gets(registry, "hit", "l1", "hit"));
        assertEquals(1, registry.get("cache.loads").tags("cache", "hit", "result", "success").timer().count());
        assertEquals(0, gets(registry, "hit", "l2", "hit") + gets(registry, "hit", "l2", "miss") + gets(registry, "hit", "l2", "stale"),
                "no level 2 is ever consulted");
    }

    @Test
    void aMissingIdIsCachedAsANullMarkerForNullTtl() {
        Cache<Long, Product> cache = products(node, "nulls");
        for (int i = 0; i < 1000; i++) {
            assertNull(cache.get(-1L, loads));
        }
        assertEquals(1, loads.calls(), "1,000 lookups inside one null TTL made one loader call");
        assertEquals(999, gets(registry, "nulls", "l1", "null_hit"));
        assertEquals(1, registry.get("cache.loads").tags("cache", "nulls", "result", "null").timer().count());

        clock.advance(Duration.ofMillis(199));
        assertNull(cache.get(-1L, loads));
        assertEquals(1, loads.calls(), "the marker still answers 1 ms before its nullTtl is up");
        clock.advance(Duration.ofMillis(1));
        assertNull(cache.get(-1L, loads));
        assertEquals(2, loads.calls(), "the marker expired after nullTtl (200 ms), and the next lookup loaded");
        assertEquals(1000, gets(registry, "nulls", "l1", "null_hit"));
    }

    @Test
    void withNullTtlZeroEveryLookupOfAMissingIdLoadsAndValuesAreStillCached() {
        Cache<Long, Product> cache = products(node, "nulls-off");
        for (int i = 0; i < 100; i++) {
            assertNull(cache.get(-1L, loads));
        }
        assertEquals(100, loads.calls(), "null caching off: each lookup of a missing id reaches the loader");
        assertEquals(100, registry.get("cache.loads").tags("cache", "nulls-off", "result", "null").timer().count());
        assertEquals(0, gets(registry, "nulls-off", "l1", "null_hit"));

        loads.reset();
        for (int i = 0; i < 3; i++) {
            cache.get(1L, loads);
        }
        assertEquals(1, loads.calls(), "a value is cached as before");
        Map<Long, Product> found = cache.getAll(List.of(1L, -2L), ids -> {
            Map<Long, Product> m = new HashMap<>();
            ids.stream().filter(id -> id >= 0).forEach(id -> m.put(id, loads.load(id)));
            return m;
        });
        assertEquals(Map.of(1L, new Product(1, "product 1", 100)), found);
        assertNull(cache.get(-2L, loads));
        assertEquals(2, loads.calls(), "getAll left no marker for -2 either: the next get loaded it");
    }

    @Test
    void anEntryLivesItsTtlInL1NotTheShorterLocalTtl() {
        Cache<Long, Product> cache = products(node, "ttl");
        cache.get(1L, loads);
        clock.advance(Duration.ofMillis(150));
        cache.get(1L, loads);
        assertEquals(1, loads.calls(),
                "localTtl (50 ms) bounds cross-node staleness; with one node the entry lives its ttl");
        clock.advance(Duration.ofMillis(849));
        cache.get(1L, loads);
        assertEquals(1, loads.calls(), "still there 1 ms before its ttl (1 s) is up");
        clock.advance(Duration.ofMillis(1));
        cache.get(1L, loads);
        assertEquals(2, loads.calls(), "reloaded once its ttl passed");
        assertEquals(2, gets(registry, "ttl", "l1", "hit"));
        assertEquals(2, gets(registry, "ttl", "l1", "miss"), "the first read, and the read at the ttl's end");
    }

    @Test
    void concurrentMissesOfOneKeyCallTheLoaderOnce() throws Exception {
        Cache<Long, Product> cache = products(node, "single-flight");
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Product> results = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    results.add(cache.get(7L, id -> {
                        Thread.sleep(100); // a slow load is the input: the other readers arrive while it runs
                        return loads.load(id);
                    }));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, loads.calls());
        assertEquals(200, results.size());
        assertTrue(results.stream().allMatch(new Product(7, "product 7", 700)::equals));
    }

    @Test
    void putInvalidateAndInvalidateAll() {
        Cache<Long, Product> cache = products(node, "writes");
        cache.put(1L, new Product(1, "written", 1));
        assertEquals("written", cache.get(1L, loads).name());
        assertEquals(0, loads.calls());

        cache.invalidate(1L);
        assertEquals("product 1", cache.get(1L, loads).name());
        assertEquals(1, loads.calls());

        cache.get(2L, loads);
        cache.invalidateAll();
        cache.get(1L, loads);
        cache.get(2L, loads);
        assertEquals(4, loads.calls(), "invalidateAll dropped both keys");
    }

    @Test
    void anInvalidationDuringALoadKeepsTheLoadedValueOutOfL1() {
        Cache<Long, Product> cache = products(node, "race");
        Product stale = cache.get(4L, id -> {
            cache.invalidate(4L); // a write committed while this load read the old row
            return new Product(4, "stale", 1);
        });
        assertEquals("stale", stale.name(), "the callers of the load still get its result");
        assertEquals("fresh", cache.get(4L, id -> new Product(4, "fresh", 1)).name());
    }

    @Test
    void aFailingLoaderSurfacesAsCacheLoadExceptionAndCachesNothing() {
        Cache<Long, Product> cache = products(node, "failure");
        assertThrows(CacheLoadException.class, () -> cache.get(5L, id -> {
            throw new IllegalStateException("database down");
        }));
        assertEquals(1, registry.get("cache.loads").tags("cache", "failure", "result", "failure").timer().count());
        assertEquals("product 5", cache.get(5L, loads).name());
    }

    @Test
    void getAllServesL1AndLoadsTheRestInOneCall() {
        Cache<Long, Product> cache = products(node, "bulk");
        cache.get(1L, loads);
        List<Long> asked = new ArrayList<>();
        Map<Long, Product> found = cache.getAll(List.of(1L, 2L, -3L), ids -> {
            asked.addAll(ids);
            Map<Long, Product> m = new HashMap<>();
            ids.stream().filter(id -> id > 0).forEach(id -> m.put(id, loads.load(id)));
            return m;
        });
        assertEquals(Map.of(1L, new Product(1, "product 1", 100), 2L, new Product(2, "product 2", 200)), found);
        assertEquals(2, asked.size(), "only the keys L1 lacked were loaded: " + asked);
        assertNull(cache.get(-3L, loads), "the absent key was cached as a null marker");
        assertEquals(2, loads.calls());
    }

    /**
     * XFetch, with the node's clock in the test's hands. The chance that a read refreshes grows as expiry nears, in
     * units of the load's compute time (at least 1 ms, measured) times {@code earlyRefreshBeta} (4): 5 minutes before
     * expiry no read refreshes (unless the first load took 2 s), and 1 ms before it each read refreshes with
     * probability at least {@code e^(-1/4)}, about 0.78. The readers keep getting the current version while one
     * background load makes the next, and none of them loads.
     */
    @Test
    void aHotKeyIsRefreshedEarlyInTheBackground() {
        Cache<Long, Product> cache = products(node, "xfetch");
        ConcurrentLinkedQueue<String> loaderThreads = new ConcurrentLinkedQueue<>();
        AtomicInteger version = new AtomicInteger();
        Loader<Long, Product> loader = id -> {
            loaderThreads.add(Thread.currentThread().getName());
            return new Product(id, "version " + version.incrementAndGet(), 1);
        };
        assertEquals("version 1", cache.get(1L, loader).name());
        clock.advance(Duration.ofMinutes(5));
        for (int i = 0; i < 1000; i++) {
            assertEquals("version 1", cache.get(1L, loader).name());
        }
        assertEquals(0, refreshes("xfetch"), "5 minutes before expiry: no refresh");

        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!cache.get(1L, loader).name().equals("version 2")) {
            assertTrue(System.nanoTime() < deadline, "no early refresh reached L1 within 10 s");
            LockSupport.parkNanos(1_000_000); // polling for the background load, with the deadline above
        }
        assertEquals(1, refreshes("xfetch"));
        clock.advance(Duration.ofMillis(2));
        assertEquals("version 2", cache.get(1L, loader).name(), "past the first version's expiry, the second answers");
        assertEquals(List.of("weft-cache-refresh"), List.copyOf(loaderThreads).subList(1, loaderThreads.size()),
                "one load after the first, in the background");
    }

    private double refreshes(String cache) {
        return registry.get("cache.refreshes").tags("cache", cache).counter().count();
    }

    /**
     * {@code cache.gets} counts in per-thread cells (no atomic add on an L1 hit): after the readers are joined, every
     * count is exact, from long-lived platform threads and from a crowd of short-lived virtual threads alike.
     */
    @Test
    void theMetersAreExactAfterConcurrentReads() throws Exception {
        Cache<Long, Product> cache = products(node, "exact");
        int keys = 50;
        for (long k = 0; k < keys; k++) {
            cache.get(k, loads);
            cache.get(-1 - k, loads);
        }
        int readers = 8;
        int readsEach = 20_000;
        int shortLived = 2_000;
        readTogether(readers, readsEach, i -> {
            long k = (i / 2) % keys;
            cache.get(i % 2 == 0 ? k : -1 - k, loads);
        }, () -> {
            List<Thread> crowd = new ArrayList<>();
            for (int t = 0; t < shortLived; t++) {
                crowd.add(Thread.ofVirtual().start(() -> {
                    cache.get(1L, loads);
                    cache.get(-2L, loads);
                }));
            }
            return crowd;
        });
        long each = (long) readers * readsEach / 2 + shortLived;
        assertEquals(each, gets(registry, "exact", "l1", "hit"));
        assertEquals(each, gets(registry, "exact", "l1", "null_hit"));
        assertEquals(2 * keys, gets(registry, "exact", "l1", "miss"));
        assertEquals(2 * keys, loads.calls());
        assertEquals(keys, registry.get("cache.loads").tags("cache", "exact", "result", "success").timer().count());
        assertEquals(keys, registry.get("cache.loads").tags("cache", "exact", "result", "null").timer().count());
    }

    /**
     * A hit 1 ms before its entry's end takes the read path's other branch (the copy's end and early refresh are
     * checked, and a background refresh may start); it counts exactly as a hit all the same, from platform and
     * virtual threads reading at once while the refreshes replace the entries.
     */
    @Test
    void theMetersAreExactForHitsNearTheEntrysEnd() throws Exception {
        Cache<Long, Product> cache = products(node, "near-end");
        int keys = 20;
        for (long k = 0; k < keys; k++) {
            cache.get(k, loads);
        }
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        int readers = 8;
        int readsEach = 10_000;
        readTogether(readers, readsEach, i -> cache.get((long) (i % keys), loads), List::of);
        assertEquals((long) readers * readsEach, gets(registry, "near-end", "l1", "hit"));
        assertEquals(keys, gets(registry, "near-end", "l1", "miss"), "only the first reads missed");
        assertTrue(refreshes("near-end") >= 1, "reads 1 ms before the end refresh early");
    }

    /**
     * Starts {@code readers} threads, platform and virtual by turns, that each make {@code readsEach} reads
     * ({@code read} is given the read's index) once released together; starts {@code meanwhile}'s threads before the
     * release; returns when every thread has ended.
     */
    private static void readTogether(int readers, int readsEach, IntConsumer read, Supplier<List<Thread>> meanwhile)
            throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < readers; t++) {
            Runnable reader = () -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < readsEach; i++) {
                    read.accept(i);
                }
            };
            threads.add(t % 2 == 0 ? Thread.ofPlatform().start(reader) : Thread.ofVirtual().start(reader));
        }
        threads.addAll(meanwhile.get());
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
    }

    @Test
    void aLocalNodeHasNoRedisMetersAndItsHealthCheckPasses() throws Exception {
        products(node, "plain");
        for (Meter m : registry.getMeters()) {
            String name = m.getId().getName();
            assertFalse(name.startsWith("cache.redis") || name.startsWith("cache.invalidations"),
                    "unexpected meter " + m.getId());
        }
        assertFalse(node.receivingInvalidations());
        node.healthCheck().check();
        assertThrows(IllegalStateException.class, node::breakerState);
        assertThrows(IllegalArgumentException.class, () -> products(node, "plain"));
    }
}
