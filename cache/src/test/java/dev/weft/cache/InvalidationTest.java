package dev.weft.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.weft.cache.codec.KeyCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import redis.clients.jedis.params.ClientKillParams;

/** Cross-node L1 invalidation over pub/sub, and what a node does when it loses its subscription. */
class InvalidationTest {
    private static final long DEADLINE_MS = 100;
    private static RedisFixture redis;
    private Caches a;
    private Caches b;
    private SimpleMeterRegistry registryB;
    private Cache<String, String> onA;
    private Cache<String, String> onB;
    private final AtomicInteger loadsOnB = new AtomicInteger();

    @BeforeAll
    static void requireRedis() {
        redis = new RedisFixture("invalidation");
    }

    @AfterAll
    static void cleanUp() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void openTwoNodes() throws InterruptedException {
        registryB = new SimpleMeterRegistry();
        a = Caches.open(redis.config(), new SimpleMeterRegistry());
        b = Caches.open(redis.config(), registryB);
        RedisFixture.awaitSubscribed(a);
        RedisFixture.awaitSubscribed(b);
        onA = a.cache(CacheConfig.defaults("prices"), KeyCodec.strings(), String.class);
        onB = b.cache(CacheConfig.defaults("prices"), KeyCodec.strings(), String.class);
    }

    @AfterEach
    void closeNodes() {
        a.close();
        b.close();
    }

    private String loadOnB(String key) {
        loadsOnB.incrementAndGet();
        return "loaded " + key;
    }

    /** Reads {@code key} on node B until it returns {@code expected}; the milliseconds that took. */
    private long millisUntilBReads(String key, String expected) throws InterruptedException {
        long start = System.nanoTime();
        while (!Objects.equals(onB.get(key, this::loadOnB), expected)) {
            if (System.nanoTime() - start > Duration.ofSeconds(2).toNanos()) {
                fail("node B still reads " + onB.get(key, this::loadOnB) + " after 2 s");
            }
            Thread.sleep(1);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * Puts {@code value} on node A, then reads it on node B until B answers it from its L1. (A's put also sends an
     * invalidation, which may reach B just after a read and drop what that read cached.)
     */
    private void putOnAAndCacheOnB(String key, String value) throws InterruptedException {
        onA.put(key, value);
        millisUntilBReads(key, value);
        double before = l1HitsOnB();
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (l1HitsOnB() == before) {
            assertEquals(value, onB.get(key, this::loadOnB));
            if (System.nanoTime() > deadline) {
                fail("node B never answered " + key + " from its L1");
            }
            Thread.sleep(1);
        }
    }

    private double l1HitsOnB() {
        return registryB.get("cache.gets").tags("level", "l1", "result", "hit").counter().count();
    }

    /**
     * Ten times: node B holds a value in its L1, node A puts a new one; the time from the start of A's put until B
     * reads the new value. The median must be under 100 ms and every one under a second: a single sample on this
     * shared two-core machine can lose 100 ms to the scheduler, which says nothing about the cache.
     */
    @Test
    void aPutOnOneNodeReachesTheOtherNodesL1WithinAHundredMilliseconds() throws Exception {
        long[] millis = new long[10];
        for (int i = 0; i < millis.length; i++) {
            putOnAAndCacheOnB("sku-1", "old " + i);
            long start = System.nanoTime();
            onA.put("sku-1", "new " + i);
            millisUntilBReads("sku-1", "new " + i);
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        long[] sorted = millis.clone();
        java.util.Arrays.sort(sorted);
        String all = java.util.Arrays.toString(millis) + " ms";
        assertTrue(sorted[sorted.length / 2] < DEADLINE_MS, "median over " + DEADLINE_MS + " ms: " + all);
        assertTrue(sorted[sorted.length - 1] < 1000, "one put took a second to reach node B: " + all);
        assertEquals(0, loadsOnB.get());
    }

    @Test
    void anInvalidateOnOneNodeReachesTheOtherNodeWithinAHundredMilliseconds() throws Exception {
        long[] millis = new long[10];
        for (int i = 0; i < millis.length; i++) {
            putOnAAndCacheOnB("sku-2", "100");
            long start = System.nanoTime();
            onA.invalidate("sku-2");
            millisUntilBReads("sku-2", "loaded sku-2");
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        java.util.Arrays.sort(millis);
        assertTrue(millis[millis.length / 2] < DEADLINE_MS, "median: " + java.util.Arrays.toString(millis) + " ms");
        assertTrue(millis[millis.length - 1] < 1000, java.util.Arrays.toString(millis) + " ms");
        assertEquals(10, loadsOnB.get());
    }

    @Test
    void invalidateAllReachesEveryNode() throws Exception {
        putOnAAndCacheOnB("x", "1");
        putOnAAndCacheOnB("y", "2");
        onA.invalidateAll();
        assertTrue(millisUntilBReads("x", "loaded x") < 1000);
        assertEquals("loaded y", onB.get("y", this::loadOnB));
    }

    @Test
    void aNodeThatLosesItsSubscriptionClearsItsL1() throws Exception {
        putOnAAndCacheOnB("sku-3", "100");
        // Change L2 behind both nodes' backs: only a cleared L1 lets node B see it.
        redis.raw.del(redis.prefix + ":prices:v1:sku-3");
        assertEquals("100", onB.get("sku-3", this::loadOnB), "node B answers from its L1");

        // Kill this test's subscriber connections (found by their client name), as a network failure would.
        List<String> pubsub = List.of(redis.raw.clientList().split("\n")).stream()
                .filter(line -> line.contains("name=weft-cache-" + redis.prefix + " ") && line.contains("sub=1"))
                .toList();
        assertEquals(2, pubsub.size(), "one subscriber per node: " + pubsub);
        for (String line : pubsub) {
            String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
            redis.raw.clientKill(new ClientKillParams().id(id));
        }

        // One reset when the subscription dropped, one when it came back.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (registryB.get("cache.local.resets").counter().count() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        RedisFixture.awaitSubscribed(b);
        assertTrue(registryB.get("cache.local.resets").counter().count() >= 2);
        assertEquals("loaded sku-3", onB.get("sku-3", this::loadOnB), "node B's L1 was cleared");
        assertEquals(1, loadsOnB.get());
    }
}
