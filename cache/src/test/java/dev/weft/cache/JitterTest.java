package dev.weft.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.weft.cache.codec.KeyCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/** TTL jitter: keys written at the same moment expire spread over the whole jitter window (no avalanche). */
class JitterTest {
    private static RedisFixture redis;

    @BeforeAll
    static void requireRedis() {
        redis = new RedisFixture("jitter");
    }

    @AfterAll
    static void cleanUp() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theTtlsOfAThousandKeysWrittenAtOnceSpreadAcrossTheJitterWindow() {
        long base = Duration.ofMinutes(10).toMillis();
        long jitter = Duration.ofMinutes(5).toMillis();
        CachesConfig config = redis.config("caches: {jitter: {staleGrace: 0s}}");
        try (Caches node = Caches.open(config, new SimpleMeterRegistry())) {
            Cache<Integer, String> cache = node.cache("jitter", KeyCodec.ints(), String.class);
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                ids.add(i);
            }
            cache.getAll(ids, keys -> {
                Map<Integer, String> values = new HashMap<>();
                keys.forEach(k -> values.put(k, "v" + k));
                return values;
            });
        }
        List<Response<Long>> ttls = new ArrayList<>();
        try (Pipeline pipeline = redis.raw.pipelined()) {
            for (int i = 0; i < 1000; i++) {
                ttls.add(pipeline.pttl(redis.prefix + ":jitter:v1:" + i));
            }
            pipeline.sync();
        }
        int[] buckets = new int[10];
        long min = Long.MAX_VALUE;
        long max = 0;
        for (Response<Long> r : ttls) {
            long ttl = r.get();
            assertTrue(ttl > base - 10_000 && ttl <= base + jitter, "TTL " + ttl + " ms outside 10 min + [0, 5 min]");
            min = Math.min(min, ttl);
            max = Math.max(max, ttl);
            int bucket = (int) Math.min(9, Math.max(0, (ttl - base) * 10 / jitter));
            buckets[bucket]++;
        }
        assertEquals(1000, java.util.Arrays.stream(buckets).sum());
        for (int i = 0; i < buckets.length; i++) {
            // Expected 100 per 30-second bucket; 50 is more than five standard deviations below.
            assertTrue(buckets[i] >= 50, "bucket " + i + " of the jitter window holds only " + buckets[i]
                    + " of 1,000 keys: " + java.util.Arrays.toString(buckets));
        }
        assertTrue(min < base + jitter / 20 && max > base + jitter * 19 / 20,
                "expiries span the window: " + min + ".." + max + " ms");
    }
}
