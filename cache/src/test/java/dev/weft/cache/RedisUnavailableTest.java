package dev.weft.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.weft.cache.codec.KeyCodec;
import dev.weft.cache.redis.CircuitBreaker;
import dev.weft.testkit.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import redis.clients.jedis.args.ClientPauseMode;

/** Redis trouble is a miss, never an error: every read still answers, from the loader, and the breaker opens. */
class RedisUnavailableTest {
    /** How long the test pauses the shared Redis for every client. */
    private static final Duration PAUSE = Duration.ofSeconds(4);

    private static RedisFixture redis;
    private final AtomicInteger loads = new AtomicInteger();

    @BeforeAll
    static void requireRedis() {
        redis = new RedisFixture("unavailable");
    }

    @AfterAll
    static void cleanUp() {
        if (redis != null) {
            redis.close();
        }
    }

    private String load(Integer key) {
        loads.incrementAndGet();
        return "v" + key;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void withRedisOnAClosedPortEveryGetAnswersFromTheLoaderAndTheBreakerOpens() throws Exception {
        CachesConfig config = redis.config("redis: {nodes: ['127.0.0.1:" + closedPort()
                + "'], timeout: 100ms, breakerOpenFor: 30s}");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Caches node = Caches.open(config, registry)) {
            Cache<Integer, String> cache = node.cache("closed", KeyCodec.ints(), String.class);
            for (int i = 0; i < 50; i++) {
                assertEquals("v" + (i % 5), cache.get(i % 5, this::load));
            }
            assertEquals(CircuitBreaker.State.OPEN, node.breakerState());
            // Until the breaker opened (after a few reads) every read went to the loader; from then on L1 keeps
            // the repeated keys off the database, since no node can publish an invalidation without Redis.
            assertTrue(loads.get() >= 5 && loads.get() <= 10, "50 reads of 5 keys made " + loads.get() + " loads");
            assertFalse(node.receivingInvalidations());
            double errors = registry.get("cache.redis.errors").counters().stream().mapToDouble(c -> c.count()).sum();
            assertEquals(config.redis().breakerFailures(), errors, 0.0, "once open, the breaker stopped calling Redis");
            assertEquals(1.0, registry.get("cache.redis.breaker").gauge().value());
            cache.put(1, "x");
            cache.invalidate(1);
            cache.invalidateAll();
            assertThrows(IllegalStateException.class, () -> node.healthCheck().check());
        }
    }

    @Test
    void withRedisPausedMidTestEveryGetStillAnswersWithinTheTimeBoundAndTheBreakerOpens() throws Exception {
        // Two failures open the breaker: the first read's GET and its SET, both within the pause however few reads
        // a starved machine gives the loop below (with the default five, it needed three reads in 1.2 s). A 100 ms
        // heartbeat declares the paused subscription lost after three unanswered pings, well inside the pause.
        CachesConfig config = redis.config(
                "redis: {timeout: 150ms, breakerOpenFor: 300ms, breakerFailures: 2, heartbeat: 100ms}");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Caches node = Caches.open(config, registry)) {
            RedisFixture.awaitSubscribed(node);
            node.healthCheck().check();
            Cache<Integer, String> cache = node.cache("paused", KeyCodec.ints(), String.class);
            assertEquals("v0", cache.get(0, this::load));

            redis.raw.clientPause(PAUSE.toMillis(), ClientPauseMode.ALL);
            long pausedAt = System.nanoTime();
            long slowest = 0;
            boolean sawOpen = false;
            int key = 1;
            while (System.nanoTime() - pausedAt < Duration.ofMillis(1200).toNanos()) {
                long start = System.nanoTime();
                assertEquals("v" + key, cache.get(key, this::load));
                slowest = Math.max(slowest, System.nanoTime() - start);
                sawOpen |= node.breakerState() != CircuitBreaker.State.CLOSED;
                key++;
            }
            assertEquals(key, loads.get(), "every read during the pause was answered by the loader");
            assertTrue(sawOpen, "the breaker opened during the pause");
            // A read makes two Redis calls (the GET, then the SET of the loaded value): each waits at most the 150 ms
            // timeout on a pooled connection, or about three times that when it opens one (connect, handshake,
            // command), so 900 ms at worst, plus scheduling on a busy machine (1,143 ms seen at load average 18).
            // The pause is 4 s, so that the bound below leaves a starved machine 2 s of margin and still fails a read
            // that waited for Redis instead of timing out: the first read, started as the pause began, would then
            // have waited out most of it.
            assertTrue(slowest < PAUSE.minusSeconds(1).toNanos(),
                    "no read waited out the " + PAUSE.toSeconds() + " s pause; the slowest took "
                            + slowest / 1_000_000 + " ms");

            // After the pause: the breaker's probe finds Redis again and reads go back to L2. Each poll reads a key
            // of its own, so that no poll is answered from L1 (which is back with the subscription) without a probe.
            int[] probe = {-1};
            Eventually.await(Duration.ofSeconds(10), "the breaker closed again after the pause", () -> {
                cache.get(probe[0]--, this::load);
                return node.breakerState() == CircuitBreaker.State.CLOSED;
            });
            RedisFixture.awaitSubscribed(node);
            assertTrue(registry.get("cache.local.resets").counter().count() >= 1,
                    "the silent subscription was declared lost during the pause and L1 cleared");
            int before = loads.get();
            cache.get(0, this::load);
            assertEquals(before, loads.get(), "the entry written before the pause is read from Redis again");
        }
    }
}
