package dev.weft.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.weft.config.ConfigTree;
import dev.weft.testkit.Eventually;
import dev.weft.testkit.Services;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The real Redis of the machine, seen from a test class: a key prefix of its own (so that classes and engineers
 * sharing the server never see each other's keys), a raw connection to inspect what the cache wrote, and a clean-up
 * that deletes exactly the class's keys (never {@code FLUSHALL}).
 */
final class RedisFixture implements AutoCloseable {
    final String prefix;
    final Jedis raw;

    RedisFixture(String name) {
        Services.requireRedis();
        this.prefix = "weft-cache-test-" + name + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        this.raw = Services.redis().client();
    }

    /** The {@code cache} section of a node on the test Redis: see {@link #config(String)}. */
    CachesConfig config() {
        return config("{}");
    }

    /**
     * The {@code cache} section of a node on the test Redis with this fixture's prefix, and {@code yaml} over it: the
     * test's caches ({@code caches: {stale: {crossNodeLock: true}}}) or Redis settings of its own, merged key by key.
     * The timeout is 3 s rather than the default 100 ms: the Redis is shared, and other modules' tests may pause it
     * for up to 2 s, which must not turn into a failure in a test that is not about failures (those set their own
     * timeout).
     */
    CachesConfig config(String yaml) {
        Map<String, Object> redis = new java.util.HashMap<>(Services.redis().settings());
        redis.put("keyPrefix", prefix);
        redis.put("timeout", Duration.ofSeconds(3));
        ConfigTree base = ConfigTree.of(Map.of("mode", "redis", "redis", redis));
        return ConfigTree.parse("test.yaml", yaml).over(base).read(CachesConfig::from);
    }

    /** Waits (at most 5 s) until {@code caches} receives invalidations (and so uses L1 while Redis answers). */
    static void awaitSubscribed(Caches caches) {
        Eventually.await(Duration.ofSeconds(5), "the invalidation subscription comes up",
                caches::receivingInvalidations);
    }

    /** Every key under this fixture's prefix. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = raw.scan(cursor, new ScanParams().match(prefix + ":*").count(1000));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    @Override
    public void close() {
        List<String> keys = keys();
        if (!keys.isEmpty()) {
            raw.unlink(keys.toArray(String[]::new));
        }
        raw.close();
    }
}
