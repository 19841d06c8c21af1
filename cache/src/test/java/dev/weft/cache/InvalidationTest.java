package dev.weft.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
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
import dev.weft.cache.codec.EntryFormat;
import dev.weft.cache.codec.JsonCodec;
import dev.weft.testkit.Eventually;
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
        onA = a.cache("prices", KeyCodec.strings(), String.class);
        onB = b.cache("prices", KeyCodec.strings(), String.class);
    }

    @AfterEach
    void closeNodes() throws InterruptedException {
        a.close();
        b.close();
        Eventually.until(Duration.ofSeconds(2), "a closed node leaves no subscriber behind",
                InvalidationTest::subscribers, List::isEmpty);
    }

    /** The CLIENT LIST lines of this class's subscriber connections. */
    private static List<String> subscribers() {
        return List.of(redis.raw.clientList().split("\n")).stream()
                .filter(line -> line.contains("name=weft-cache-" + redis.prefix + " ") && line.contains("sub=1"))
                .toList();
    }

    private String loadOnB(String key) {
        loadsOnB.incrementAndGet();
        return "loaded " + key;
    }

    /**
     * Reads {@code key} on node B until it returns {@code expected}; the milliseconds that took. The 10 s deadline
     * only says the value never arrived: how fast it arrived is for the caller to judge.
     */
    private long millisUntilBReads(String key, String expected) throws InterruptedException {
        long start = System.nanoTime();
        while (!Objects.equals(onB.get(key, this::loadOnB), expected)) {
            if (System.nanoTime() - start > Duration.ofSeconds(10).toNanos()) {
                fail("node B still reads " + onB.get(key, this::loadOnB) + " after 10 s");
            }
            Thread.sleep(1); // this poll measures the propagation time, so it polls at the 1 ms it reports in
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * Makes node B hold {@code value} for {@code key} in its L1, without any message in flight: B drops the key,
     * the entry is written straight into Redis, and B reads until it answers from its L1. B uses L1 only while it is
     * subscribed, and on a starved machine its heartbeat may find the subscription silent and remake it (clearing
     * L1): so each read waits for the subscription first, and the deadline is a generous 30 s.
     */
    private void cacheOnB(String key, String value) throws InterruptedException {
        onB.invalidate(key);
        byte[] entry = new EntryFormat<>(JsonCodec.of(String.class))
                .encode(new Entry<>(value, System.currentTimeMillis() + 60_000, 1));
        redis.raw.set((redis.prefix + ":prices:v1:" + key).getBytes(StandardCharsets.UTF_8), entry);
        double before = l1HitsOnB();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (l1HitsOnB() == before) {
            RedisFixture.awaitSubscribed(b);
            assertEquals(value, onB.get(key, this::loadOnB));
            if (System.nanoTime() > deadline) {
                fail("node B never answered " + key + " from its L1 within 30 s");
            }
            Thread.sleep(1); // a 1 ms poll, as above: the set-up of each measured round
        }
    }

    private double l1HitsOnB() {
        return registryB.get("cache.gets").tags("level", "l1", "result", "hit").functionCounter().count();
    }

    /**
     * Ten times: node B holds the key in its L1, node A writes it ({@code write} gets the round), and the time from
     * the start of A's write until B reads {@code expected.apply(round)}. Passes when the median is under 100 ms and
     * none took a second; a round of ten is tried up to three times, because the Redis is shared and another
     * module's test may pause it for up to 2 s (which delays everything and says nothing about this cache).
     */
    private void assertReachesBWithinDeadline(String key, java.util.function.IntConsumer write,
                                              java.util.function.IntFunction<String> expected) throws Exception {
        String tries = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            long[] millis = new long[10];
            for (int i = 0; i < millis.length; i++) {
                cacheOnB(key, "old " + i);
                long start = System.nanoTime();
                write.accept(i);
                millisUntilBReads(key, expected.apply(i));
                millis[i] = (System.nanoTime() - start) / 1_000_000;
            }
            long[] sorted = millis.clone();
            java.util.Arrays.sort(sorted);
            if (sorted[sorted.length / 2] < DEADLINE_MS && sorted[sorted.length - 1] < 1000) {
                return;
            }
            tries += " " + java.util.Arrays.toString(millis);
        }
        fail("no round of ten had a median under " + DEADLINE_MS + " ms:" + tries);
    }

    @Test
    void aPutOnOneNodeReachesTheOtherNodesL1WithinAHundredMilliseconds() throws Exception {
        assertReachesBWithinDeadline("sku-1", i -> onA.put("sku-1", "new " + i), i -> "new " + i);
        assertEquals(0, loadsOnB.get());
    }

    @Test
    void anInvalidateOnOneNodeReachesTheOtherNodeWithinAHundredMilliseconds() throws Exception {
        assertReachesBWithinDeadline("sku-2", i -> onA.invalidate("sku-2"), i -> "loaded sku-2");
        assertTrue(loadsOnB.get() >= 10);
    }

    @Test
    void invalidateAllReachesEveryNode() throws Exception {
        cacheOnB("x", "1");
        cacheOnB("y", "2");
        onA.invalidateAll();
        millisUntilBReads("x", "loaded x");
        assertEquals("loaded y", onB.get("y", this::loadOnB));
    }

    @Test
    void aNodeThatLosesItsSubscriptionClearsItsL1() throws Exception {
        cacheOnB("sku-3", "100");
        // Change L2 behind both nodes' backs: only a cleared L1 lets node B see it.
        redis.raw.del(redis.prefix + ":prices:v1:sku-3");
        assertEquals("100", onB.get("sku-3", this::loadOnB), "node B answers from its L1");

        // Kill this test's subscriber connections (found by their client name), as a network failure would.
        List<String> pubsub = subscribers();
        assertEquals(2, pubsub.size(), "one subscriber per node: " + pubsub);
        for (String line : pubsub) {
            String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
            redis.raw.clientKill(new ClientKillParams().id(id));
        }

        // One reset when the subscription dropped, one when it came back.
        Eventually.await(Duration.ofSeconds(30), "node B reset its L1 when the subscription dropped and came back",
                () -> registryB.get("cache.local.resets").counter().count() >= 2);
        RedisFixture.awaitSubscribed(b);
        assertEquals(1, registryB.get("cache.invalidations.lost").functionCounter().count(), "one loss counted");
        assertEquals("loaded sku-3", onB.get("sku-3", this::loadOnB), "node B's L1 was cleared");
        assertEquals(1, loadsOnB.get());
    }
}
