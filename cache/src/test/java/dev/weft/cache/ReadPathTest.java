package dev.weft.cache;

import static dev.weft.cache.TestProducts.gets;
import static dev.weft.cache.TestProducts.products;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.weft.cache.TestProducts.CountingLoader;
import dev.weft.cache.TestProducts.Product;
import dev.weft.cache.codec.KeyCodec;
import dev.weft.cache.local.BloomFilter;
import dev.weft.testkit.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The read and write paths against the real Redis: hit, miss, L2 fill, nulls, bulk reads, writes, refresh. */
class ReadPathTest {
    /** The settings of the caches that need other than the defaults. */
    private static final String CACHES = """
            caches:
              l1bound: {ttl: 1m, ttlJitter: 0s, localTtl: 5m, earlyRefreshBeta: 0}
              penetration-500ms: {nullTtl: 500ms}
              nulls-off: {nullTtl: 0s}
              nulls-off-short: {nullTtl: 0s, ttl: 300ms, ttlJitter: 0s, earlyRefreshBeta: 0}
              xfetch: {ttl: 600ms, ttlJitter: 0s, earlyRefreshBeta: 4}
            """;
    private static RedisFixture redis;
    private SimpleMeterRegistry registry;
    private Caches node;
    private final CountingLoader loads = new CountingLoader();

    @BeforeAll
    static void requireRedis() {
        redis = new RedisFixture("read");
    }

    @AfterAll
    static void cleanUp() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void openNode() {
        registry = new SimpleMeterRegistry();
        node = Caches.open(redis.config(CACHES), registry);
        RedisFixture.awaitSubscribed(node);
    }

    @AfterEach
    void closeNode() {
        node.close();
    }

    @Test
    void aMissLoadsStoresInBothLevelsAndTheNextReadIsAnL1Hit() {
        Cache<Long, Product> cache = products(node, "hitmiss");
        assertEquals(new Product(7, "product 7", 700), cache.get(7L, loads));
        assertEquals(new Product(7, "product 7", 700), cache.get(7L, loads));
        assertEquals(1, loads.calls());
        assertEquals(1, gets(registry, "hitmiss", "l2", "miss"));
        assertEquals(1, gets(registry, "hitmiss", "l1", "hit"));
        byte[] stored = redis.raw.get((redis.prefix + ":hitmiss:v1:7").getBytes(StandardCharsets.UTF_8));
        assertNotNull(stored, "the entry is in Redis under <prefix>:<cache>:v<version>:<key>");
        assertTrue(new String(stored, StandardCharsets.UTF_8).contains("\"name\":\"product 7\""), "stored as JSON");
        assertEquals(1, registry.get("cache.loads").tags("cache", "hitmiss", "result", "success").timer().count());
    }

    @Test
    void anL2HitOnAnotherNodeFillsItsL1WithoutLoading() throws Exception {
        try (Caches other = Caches.open(redis.config(), new SimpleMeterRegistry())) {
            RedisFixture.awaitSubscribed(other);
            Cache<Long, Product> here = products(node, "l2fill");
            Cache<Long, Product> there = products(other, "l2fill");
            here.get(3L, loads);
            assertEquals(new Product(3, "product 3", 300), there.get(3L, loads));
            assertEquals(new Product(3, "product 3", 300), there.get(3L, loads));
            assertEquals(1, loads.calls(), "the second node read L2, then its own L1");
        }
    }

    /**
     * The node's clock is the test's: a millisecond before the 1-minute entry's end it still answers without a load,
     * a millisecond after it the L1 copy has expired with the entry (not after the 5-minute local TTL) and the read
     * loads again. Early refresh is off for this cache, so a second load can only be that expiry. Redis keeps the
     * entry for a real minute, so a stall of the machine changes nothing here. (With the node's own clock this test
     * waited for real time to pass, and on a starved machine the clock's ticker thread lagged behind it.)
     */
    @Test
    void l1NeverOutlivesTheEntrysRemainingTimeInL2() {
        ManualClock clock = new ManualClock();
        try (Caches timed = Caches.open(redis.config(CACHES), new SimpleMeterRegistry(), clock)) {
            RedisFixture.awaitSubscribed(timed);
            Cache<Long, Product> cache = products(timed, "l1bound");
            cache.get(1L, loads);
            clock.advance(Duration.ofMinutes(1).minusMillis(1));
            cache.get(1L, loads);
            assertEquals(1, loads.calls(), "a millisecond before the entry's end, the cached copy answers");
            clock.advance(Duration.ofMillis(2));
            cache.get(1L, loads);
            assertEquals(2, loads.calls(), "the L1 copy expired with the L2 entry despite the 5-minute local TTL");
        }
    }

    @Test
    void aChangeOfVersionIsANewKeySpace() {
        products(node, "versioned").get(5L, loads);
        try (Caches other = Caches.open(redis.config("caches: {versioned: {version: 2}}"),
                new SimpleMeterRegistry())) {
            products(other, "versioned").get(5L, loads);
        }
        assertEquals(2, loads.calls());
        assertTrue(redis.keys().containsAll(List.of(redis.prefix + ":versioned:v1:5", redis.prefix + ":versioned:v2:5")));
    }

    @Test
    void penetrationAThousandLookupsOfAMissingIdLoadOncePerNullTtl() throws Exception {
        Cache<Long, Product> cache = products(node, "penetration");
        for (int i = 0; i < 1000; i++) {
            assertNull(cache.get(-1L, loads));
        }
        assertEquals(1, loads.calls(), "1,000 lookups inside one null TTL made one loader call");
        assertEquals(1, registry.get("cache.loads").tags("cache", "penetration", "result", "null").timer().count());
        assertTrue(gets(registry, "penetration", "l1", "null_hit") >= 998);

        loads.reset();
        Cache<Long, Product> shortNulls = products(node, "penetration-500ms");
        long start = System.nanoTime();
        long lookups = 0;
        while (System.nanoTime() - start < Duration.ofMillis(1600).toNanos()) {
            assertNull(shortNulls.get(-2L, loads));
            lookups++;
        }
        long windows = (System.nanoTime() - start) / Duration.ofMillis(500).toNanos() + 1;
        assertTrue(loads.calls() >= 2 && loads.calls() <= windows,
                lookups + " lookups over " + windows + " null TTLs made " + loads.calls() + " loads");
    }

    @Test
    void withNullTtlZeroEveryLookupOfAMissingIdLoadsAndNoMarkerIsStored() {
        Cache<Long, Product> cache = products(node, "nulls-off");
        for (int i = 0; i < 100; i++) {
            assertNull(cache.get(-1L, loads));
        }
        assertEquals(100, loads.calls(), "null caching off: each lookup of a missing id reaches the loader");
        assertEquals(100, registry.get("cache.loads").tags("cache", "nulls-off", "result", "null").timer().count());
        assertEquals(0, gets(registry, "nulls-off", "l1", "null_hit") + gets(registry, "nulls-off", "l2", "null_hit"));
        assertFalse(redis.keys().contains(redis.prefix + ":nulls-off:v1:-1"), "no null marker in Redis");

        loads.reset();
        cache.get(1L, loads);
        cache.get(1L, loads);
        assertEquals(1, loads.calls(), "values are cached as before");

        ConcurrentLinkedQueue<Set<Long>> bulkCalls = new ConcurrentLinkedQueue<>();
        BulkLoader<Long, Product> bulk = ids -> {
            bulkCalls.add(ids);
            Map<Long, Product> found = new HashMap<>();
            ids.stream().filter(id -> id >= 0).forEach(id -> found.put(id, loads.load(id)));
            return found;
        };
        cache.getAll(List.of(2L, -3L), bulk);
        cache.getAll(List.of(2L, -3L), bulk);
        assertEquals(List.of(Set.of(2L, -3L), Set.of(-3L)), List.copyOf(bulkCalls),
                "the absent id is loaded again by the next bulk read; the present one is not");
        assertFalse(redis.keys().contains(redis.prefix + ":nulls-off:v1:-3"));
    }

    @Test
    void withNullTtlZeroAValueTheLoaderNoLongerFindsLeavesRedisAtItsReload() throws Exception {
        Cache<Long, Product> cache = products(node, "nulls-off-short");
        String key = redis.prefix + ":nulls-off-short:v1:5";
        assertNotNull(cache.get(5L, loads));
        assertTrue(redis.keys().contains(key));
        AtomicInteger goneCalls = new AtomicInteger();
        Loader<Long, Product> gone = id -> {
            goneCalls.incrementAndGet();
            return null;
        };
        // The entry stays in Redis for its stale grace after its 300 ms ttl; the first read past the ttl reloads.
        Eventually.await(Duration.ofSeconds(5), "a reload once the 300 ms ttl has run", () -> {
            cache.get(5L, gone);
            return goneCalls.get() > 0;
        });
        assertNull(cache.get(5L, gone));
        assertFalse(redis.keys().contains(key), "the stale value is gone from Redis, not kept for its grace");
    }

    @Test
    void aBloomFilterAnswersUnknownIdsWithoutRedisOrTheLoader() {
        BloomFilter known = BloomFilter.create(1000, 0.001);
        for (long id = 1; id <= 100; id++) {
            known.add(Long.toString(id));
        }
        Cache<Long, Product> cache = node.cache("bloom", KeyCodec.longs(),
                dev.weft.cache.codec.JsonCodec.of(Product.class), known);
        for (long id = 1000; id < 2000; id++) {
            assertNull(cache.get(id, loads));
        }
        assertTrue(loads.calls() <= 2, "unknown ids stopped at the filter; loads: " + loads.calls());
        assertEquals(new Product(50, "product 50", 5000), cache.get(50L, loads));
        cache.put(5000L, new Product(5000, "new", 1));
        assertEquals(new Product(5000, "new", 1), cache.get(5000L, loads), "put adds its key to the filter");
    }

    @Test
    void getAllReadsL1ThenL2InOneRoundTripThenLoadsTheRestInOneCall() {
        Cache<Long, Product> cache = products(node, "bulk");
        cache.get(1L, loads);
        try (Caches other = Caches.open(redis.config(), new SimpleMeterRegistry())) {
            products(other, "bulk").get(2L, loads);
        }
        loads.reset();
        ConcurrentLinkedQueue<Set<Long>> bulkCalls = new ConcurrentLinkedQueue<>();
        BulkLoader<Long, Product> bulk = ids -> {
            bulkCalls.add(ids);
            Map<Long, Product> found = new HashMap<>();
            for (long id : ids) {
                if (id != 4) {
                    found.put(id, loads.load(id));
                }
            }
            return found;
        };
        Map<Long, Product> values = cache.getAll(List.of(1L, 2L, 3L, 4L), bulk);
        assertEquals(List.of(1L, 2L, 3L), List.copyOf(values.keySet()));
        assertEquals(List.of(Set.of(3L, 4L)), List.copyOf(bulkCalls), "one bulk load, of the keys in neither level");
        assertEquals(1, gets(registry, "bulk", "l1", "hit"));
        assertEquals(1, gets(registry, "bulk", "l2", "hit"));

        Map<Long, Product> again = cache.getAll(List.of(1L, 2L, 3L, 4L), bulk);
        assertEquals(values, again);
        assertEquals(1, bulkCalls.size(), "id 4 is remembered as absent");
    }

    @Test
    void putInvalidateAndInvalidateAll() {
        Cache<Long, Product> cache = products(node, "writes");
        cache.put(1L, new Product(1, "put", 1));
        assertEquals(new Product(1, "put", 1), cache.get(1L, loads));
        assertEquals(0, loads.calls());
        cache.invalidate(1L);
        assertEquals(new Product(1, "product 1", 100), cache.get(1L, loads));
        assertEquals(1, loads.calls());
        for (long id = 10; id < 20; id++) {
            cache.get(id, loads);
        }
        Cache<Long, Product> neighbour = products(node, "writes-neighbour");
        neighbour.get(1L, loads);
        cache.invalidateAll();
        assertTrue(redis.keys().stream().noneMatch(k -> k.startsWith(redis.prefix + ":writes:")),
                "invalidateAll deleted the cache's keys");
        assertTrue(redis.keys().contains(redis.prefix + ":writes-neighbour:v1:1"), "and only those");
        loads.reset();
        cache.get(10L, loads);
        assertEquals(1, loads.calls(), "and emptied L1");
        assertThrows(NullPointerException.class, () -> cache.put(2L, null));
    }

    @Test
    void aFailingLoaderSurfacesAsCacheLoadExceptionAndCachesNothing() {
        Cache<Long, Product> cache = products(node, "failing");
        CacheLoadException e = assertThrows(CacheLoadException.class, () -> cache.get(1L, id -> {
            throw new java.sql.SQLException("database down");
        }));
        assertTrue(e.getCause() instanceof java.sql.SQLException);
        assertEquals(new Product(1, "product 1", 100), cache.get(1L, loads));
        assertEquals(1, registry.get("cache.loads").tags("cache", "failing", "result", "failure").timer().count());
    }

    @Test
    void aHotKeyIsRefreshedEarlyInTheBackgroundAndNeverMissed() throws Exception {
        Cache<Long, Product> cache = products(node, "xfetch");
        ConcurrentLinkedQueue<String> loaderThreads = new ConcurrentLinkedQueue<>();
        Loader<Long, Product> slowLoader = id -> {
            loaderThreads.add(Thread.currentThread().getName());
            Thread.sleep(40); // a slow loader is the input: a refresh in the background hides its latency
            return loads.load(id);
        };
        cache.get(1L, slowLoader);
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofMillis(1500).toNanos()) {
            assertNotNull(cache.get(1L, slowLoader));
            Thread.sleep(2); // the readers' pace over 2.5 TTLs is the input, not a wait for anything
        }
        List<String> threads = List.copyOf(loaderThreads);
        double redisErrors = registry.find("cache.redis.errors").counters().stream().mapToDouble(c -> c.count()).sum();
        // A Redis call that fails (the machine too busy to answer within the 3 s timeout) is rightly a miss and a
        // load on the reader's thread: each failed call may account for one such load, and no more.
        long onReaders = threads.subList(1, threads.size()).stream().filter(t -> !t.equals("weft-cache-refresh"))
                .count();
        assertTrue(threads.size() >= 3, "refreshed " + (threads.size() - 1) + " times in 2.5 TTLs");
        assertTrue(onReaders <= redisErrors, "every load after the first ran early, in the background, except one "
                + "per failed Redis call (" + redisErrors + "): " + threads);
        assertTrue(registry.get("cache.refreshes").tags("cache", "xfetch").counter().count() >= 2);
    }
}
