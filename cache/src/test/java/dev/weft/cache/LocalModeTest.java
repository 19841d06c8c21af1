package dev.weft.cache;

import static dev.weft.cache.TestProducts.config;
import static dev.weft.cache.TestProducts.gets;
import static dev.weft.cache.TestProducts.products;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.weft.cache.TestProducts.CountingLoader;
import dev.weft.cache.TestProducts.Product;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Local mode: the read path without Redis (unit tests; nothing here talks to a server). */
class LocalModeTest {
    /** The settings of the caches that need other than the defaults. */
    private static final String CONFIG = """
            mode: local
            caches:
              nulls: {nullTtl: 200ms}
              nulls-off: {nullTtl: 0s}
              ttl: {earlyRefreshBeta: 0, localTtl: 50ms, ttl: 1s, ttlJitter: 0s}
              single-flight: {crossNodeLock: true}
              xfetch: {ttl: 300ms, ttlJitter: 0s, earlyRefreshBeta: 4}
            """;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Caches node = Caches.open(config(CONFIG), registry);
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
    void aMissingIdIsCachedAsANullMarkerForNullTtl() throws Exception {
        Cache<Long, Product> cache = products(node, "nulls");
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            assertNull(cache.get(-1L, loads));
        }
        assertEquals(1, loads.calls(), "1,000 lookups inside one null TTL made one loader call");
        assertEquals(999, gets(registry, "nulls", "l1", "null_hit"));
        assertEquals(1, registry.get("cache.loads").tags("cache", "nulls", "result", "null").timer().count());
        assertTrue(readUntilReloaded(cache, -1L) - start >= Duration.ofMillis(200).toNanos(),
                "the null marker expired after nullTtl, not before");
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
    void anEntryLivesItsTtlInL1NotTheShorterLocalTtl() throws Exception {
        Cache<Long, Product> cache = products(node, "ttl");
        long start = System.nanoTime();
        cache.get(1L, loads);
        Thread.sleep(150);
        cache.get(1L, loads);
        assertEquals(1, loads.calls(), "localTtl bounds cross-node staleness; with one node the entry lives its ttl");
        // The expiry is stamped with CoarseClock, whose ticker thread may run tens of milliseconds late on a loaded
        // machine; 900 ms still tells the 1 s ttl from the 50 ms localTtl.
        assertTrue(readUntilReloaded(cache, 1L) - start >= Duration.ofMillis(900).toNanos(),
                "reloaded once its ttl passed, not before");
    }

    /**
     * Reads {@code key} every 10 ms until the loader is called once more (at most 5 s) and returns when. Polls
     * rather than sleeping a fixed time: on a loaded machine the clock thread behind expiry checks may run late.
     */
    private long readUntilReloaded(Cache<Long, Product> cache, long key) throws InterruptedException {
        int before = loads.calls();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (loads.calls() == before) {
            assertTrue(System.nanoTime() < deadline, "no reload within 5 s");
            Thread.sleep(10);
            cache.get(key, loads);
        }
        return System.nanoTime();
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

    @Test
    void aHotKeyIsRefreshedEarlyInTheBackground() throws Exception {
        Cache<Long, Product> cache = products(node, "xfetch");
        ConcurrentLinkedQueue<String> loaderThreads = new ConcurrentLinkedQueue<>();
        cache.get(1L, id -> {
            loaderThreads.add(Thread.currentThread().getName());
            Thread.sleep(20); // a slow load is the input: a refresh in the background hides its latency
            return loads.load(id);
        });
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofMillis(800).toNanos()) {
            assertNotNull(cache.get(1L, id -> {
                loaderThreads.add(Thread.currentThread().getName());
                Thread.sleep(20); // as above
                return loads.load(id);
            }));
            Thread.sleep(2); // the readers' pace over the ttl is the input, not a wait for anything
        }
        // On a loaded machine a reader may stall past the refresh window and load itself; the claim is that hot keys
        // are refreshed early in the background, which ReadPathTest checks strictly against Redis.
        List<String> threads = List.copyOf(loaderThreads);
        long background = threads.stream().filter("weft-cache-refresh"::equals).count();
        assertTrue(background >= 1, "no load ran early, in the background: " + threads);
        assertTrue(registry.get("cache.refreshes").tags("cache", "xfetch").counter().count() >= background);
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
