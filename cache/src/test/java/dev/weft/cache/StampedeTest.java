package dev.weft.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.weft.cache.codec.KeyCodec;
import dev.weft.testkit.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import redis.clients.jedis.params.SetParams;

/** Cache stampede: many readers of one cold key make one loader call, in one JVM and across nodes. */
class StampedeTest {
    private static RedisFixture redis;
    private final AtomicInteger loads = new AtomicInteger();

    @BeforeAll
    static void requireRedis() {
        redis = new RedisFixture("stampede");
    }

    @AfterAll
    static void cleanUp() {
        if (redis != null) {
            redis.close();
        }
    }

    private String slowLoad(String key) throws InterruptedException {
        loads.incrementAndGet();
        Thread.sleep(200); // a slow load is the input: the stampede arrives while it runs
        return "value of " + key;
    }

    /**
     * A loader for two nodes' stampede on one key under the cross-node lock: it holds the lock until both nodes
     * have missed L2, so that the other node reaches the lock while it is held (and waits) or after the result is
     * stored (and finds it), however late a busy machine runs the other node's readers; never before the miss.
     */
    static Loader<String, String> heldUntilBothNodesMissed(AtomicInteger loads, String cache,
                                                          SimpleMeterRegistry a, SimpleMeterRegistry b) {
        return key -> {
            loads.incrementAndGet();
            Eventually.await(Duration.ofSeconds(20), "both nodes missed L2 for " + key,
                    () -> l2Misses(a, cache) >= 1 && l2Misses(b, cache) >= 1);
            return "value of " + key;
        };
    }

    private static double l2Misses(SimpleMeterRegistry registry, String cache) {
        return registry.get("cache.gets").tag("cache", cache).tag("level", "l2").tag("result", "miss")
                .functionCounter().count();
    }

    /** Starts {@code readers} virtual threads per cache, all released at once, and returns what each read. */
    private static List<String> stampede(int readers, List<Cache<String, String>> caches, Loader<String, String> loader)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Cache<String, String> cache : caches) {
                for (int i = 0; i < readers; i++) {
                    results.add(threads.submit(() -> {
                        go.await();
                        return cache.get("hot", loader);
                    }));
                }
            }
            go.countDown();
        }
        List<String> values = new ArrayList<>();
        for (Future<String> f : results) {
            values.add(f.get());
        }
        return values;
    }

    @Test
    void twoHundredVirtualThreadsOnOneColdKeyMakeOneLoaderCall() throws Exception {
        try (Caches node = Caches.open(redis.config(), new SimpleMeterRegistry())) {
            Cache<String, String> cache = node.cache("one-node", KeyCodec.strings(), String.class);
            List<String> values = stampede(200, List.of(cache), this::slowLoad);
            assertEquals(200, values.size());
            assertTrue(values.stream().allMatch("value of hot"::equals));
            assertEquals(1, loads.get());
        }
    }

    @Test
    void twoNodesWithTheCrossNodeLockMakeOneLoaderCallInTotal() throws Exception {
        CachesConfig config = redis.config("caches: {two-nodes: {crossNodeLock: true, lockWait: 2s}}");
        SimpleMeterRegistry registryA = new SimpleMeterRegistry();
        SimpleMeterRegistry registryB = new SimpleMeterRegistry();
        try (Caches a = Caches.open(config, registryA); Caches b = Caches.open(config, registryB)) {
            List<String> values = stampede(100, List.of(
                    a.cache("two-nodes", KeyCodec.strings(), String.class),
                    b.cache("two-nodes", KeyCodec.strings(), String.class)),
                    heldUntilBothNodesMissed(loads, "two-nodes", registryA, registryB));
            assertEquals(200, values.size());
            assertTrue(values.stream().allMatch("value of hot"::equals));
            assertEquals(1, loads.get(), "one load across both nodes");
            double acquired = registryA.get("cache.lock").tag("result", "acquired").counter().count()
                    + registryB.get("cache.lock").tag("result", "acquired").counter().count();
            double waited = registryA.get("cache.lock").tag("result", "waited").counter().count()
                    + registryB.get("cache.lock").tag("result", "waited").counter().count();
            assertEquals(1, acquired);
            assertEquals(1, waited, "the other node waited for the holder's result");
        }
    }

    @Test
    void aNodeWithoutTheLockServesTheStaleValueWhileAnotherReloads() throws Exception {
        CachesConfig config = redis.config("""
                caches:
                  stale: {crossNodeLock: true, ttl: 200ms, ttlJitter: 0s, staleGrace: 30s, localMaxEntries: 0,
                          earlyRefreshBeta: 0}
                """);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ManualClock clock = new ManualClock();
        try (Caches node = Caches.open(config, registry, clock)) {
            Cache<String, String> cache = node.cache("stale", KeyCodec.strings(), String.class);
            cache.get("k", key -> "old");
            clock.advance(Duration.ofMillis(300)); // past the entry's 200 ms ttl, inside its 30 s stale grace
            // Another node holds the reload lock for this key.
            redis.raw.set(redis.prefix + ":stale:lock:v1:k", "other-node", SetParams.setParams().nx().px(5000));
            assertEquals("old", cache.get("k", this::slowLoad));
            assertEquals(0, loads.get());
            assertEquals(1, registry.get("cache.lock").tag("result", "stale").counter().count());
        }
    }

    @Test
    void aNodeThatWaitsLongerThanLockWaitLoadsItself() throws Exception {
        CachesConfig config = redis.config("caches: {timeout: {crossNodeLock: true, lockWait: 100ms}}");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Caches node = Caches.open(config, registry)) {
            Cache<String, String> cache = node.cache("timeout", KeyCodec.strings(), String.class);
            redis.raw.set(redis.prefix + ":timeout:lock:v1:k", "dead-node", SetParams.setParams().nx().px(5000));
            assertEquals("value of k", cache.get("k", this::slowLoad));
            assertEquals(1, loads.get());
            assertEquals(1, registry.get("cache.lock").tag("result", "timeout").counter().count());
        }
    }
}
