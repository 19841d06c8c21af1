package dev.weft.cache;

import static dev.weft.cache.TestProducts.gets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.weft.cache.TestProducts.CountingLoader;
import dev.weft.cache.TestProducts.Product;
import dev.weft.cache.codec.KeyCodec;
import dev.weft.config.ConfigTree;
import dev.weft.testkit.Eventually;
import dev.weft.testkit.RedisTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The cache on a real Redis topology, started for the test class on loopback ports by testkit's
 * {@link RedisTopology}: reads through L1 and L2 on every primary, invalidation pub/sub between two nodes (wherever
 * a message is published), {@code invalidateAll}, the cross-node lock and the health check. {@link RedisClusterTest}
 * runs it on a Cluster, {@link RedisSentinelTest} under Sentinel; each also kills a primary under load
 * ({@link FailoverUnderLoad}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RedisTopologyTest {
    RedisTopology topology;
    String prefix;

    /** Starts the topology the tests run on. */
    abstract RedisTopology start();

    @BeforeAll
    void startTopology() {
        topology = start();
    }

    @AfterAll
    void stopTopology() {
        if (topology != null) {
            topology.close();
        }
    }

    @BeforeEach
    void newPrefix() {
        prefix = "weft-topology-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    /**
     * The {@code cache} section of a node on {@code t}, under this test's key prefix, with {@code yaml} over it. The
     * timeout is 3 s, as in {@link RedisFixture}: the machine is shared, and these tests are not about slowness.
     */
    static CachesConfig config(RedisTopology t, String prefix, String yaml) {
        Map<String, Object> redis = new LinkedHashMap<>(t.redisSettings());
        redis.put("keyPrefix", prefix);
        redis.put("timeout", Duration.ofSeconds(3));
        ConfigTree base = ConfigTree.of(Map.of("mode", "redis", "redis", redis));
        return ConfigTree.parse("test.yaml", yaml).over(base).read(CachesConfig::from);
    }

    private CachesConfig config(String yaml) {
        return config(topology, prefix, yaml);
    }

    /** How many primaries the topology spreads keys over. */
    private int primaryCount() {
        return topology.kind() == RedisTopology.Kind.CLUSTER ? 3 : 1;
    }

    /** Polls {@code condition} until it holds; fails after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        Eventually.await(timeout, what, condition::getAsBoolean);
    }

    /** The keys under {@code pattern} on {@code primary}, by {@code redis-cli --scan}. */
    List<String> scan(String primary, String pattern) {
        return topology.cli(primary, "--scan", "--pattern", pattern).lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void readsGoToRedisOnEveryPrimaryAndThenToL1() throws Exception {
        SimpleMeterRegistry registryB = new SimpleMeterRegistry();
        CountingLoader loader = new CountingLoader();
        try (Caches a = Caches.open(config("{}"), new SimpleMeterRegistry());
             Caches b = Caches.open(config("{}"), registryB)) {
            RedisFixture.awaitSubscribed(a);
            RedisFixture.awaitSubscribed(b);
            Cache<Long, Product> onA = TestProducts.products(a, "products");
            Cache<Long, Product> onB = TestProducts.products(b, "products");
            List<Long> ids = new ArrayList<>();
            for (long id = 0; id < 30; id++) {
                ids.add(id);
                assertEquals(new Product(id, "product " + id, 100 * id), onA.get(id, loader));
            }
            assertEquals(30, loader.calls());

            Set<String> holders = new HashSet<>();
            int stored = 0;
            for (String primary : topology.primaries()) {
                List<String> keys = scan(primary, prefix + ":products:*");
                stored += keys.size();
                if (!keys.isEmpty()) {
                    holders.add(primary);
                }
            }
            assertEquals(30, stored, "every entry is in Redis, once");
            assertEquals(primaryCount(), holders.size(), "the entries are spread over every primary");

            for (long id : ids) {
                assertEquals(new Product(id, "product " + id, 100 * id), onB.get(id, loader));
            }
            assertEquals(30, loader.calls(), "node B read every entry from Redis");
            assertEquals(30, gets(registryB, "products", "l2", "hit"));
            for (long id : ids) {
                onB.get(id, loader);
            }
            assertEquals(30, gets(registryB, "products", "l1", "hit"), "and then from its L1");

            try (Caches c = Caches.open(config("{}"), new SimpleMeterRegistry())) {
                Map<Long, Product> all = TestProducts.products(c, "products").getAll(ids, missing -> {
                    throw new AssertionError("nothing is missing from Redis, yet the bulk loader was asked for "
                            + missing);
                });
                assertEquals(30, all.size(), "getAll reads every primary in one pipelined round");
            }
            a.healthCheck().check();
            b.healthCheck().check();
        }
    }

    @Test
    void invalidationsReachTheOtherNodeWhicheverPrimaryTheyArePublishedOn() throws Exception {
        AtomicInteger loadsOnB = new AtomicInteger();
        Loader<String, String> loader = key -> "loaded " + key + " #" + loadsOnB.incrementAndGet();
        try (Caches a = Caches.open(config("{}"), new SimpleMeterRegistry());
             Caches b = Caches.open(config("{}"), new SimpleMeterRegistry())) {
            RedisFixture.awaitSubscribed(a);
            RedisFixture.awaitSubscribed(b);
            Cache<String, String> onA = a.cache("prices", KeyCodec.strings(), String.class);
            Cache<String, String> onB = b.cache("prices", KeyCodec.strings(), String.class);

            for (int round = 0; round < 5; round++) {
                String key = "sku-" + round;
                String cached = onB.get(key, loader);
                assertEquals(cached, onB.get(key, loader), "node B holds it");
                String value = "new " + round;
                onA.put(key, value);
                await("node B to read node A's put of " + key, Duration.ofSeconds(10),
                        () -> value.equals(onB.get(key, loader)));
                onA.invalidate(key);
                int loads = loadsOnB.get();
                await("node B to drop " + key + " after node A's invalidate", Duration.ofSeconds(10),
                        () -> onB.get(key, loader).startsWith("loaded ") && loadsOnB.get() > loads);
            }

            // A message published on any primary reaches node B's subscriber, which is connected to one of them.
            for (String primary : topology.primaries()) {
                String key = "direct-" + primary;
                String cached = onB.get(key, loader);
                String redisKey = prefix + ":prices:v1:" + key;
                topology.cli(topology.primaryFor(redisKey), "DEL", redisKey);
                assertEquals(cached, onB.get(key, loader), "node B answers from its L1 until it hears otherwise");
                int loads = loadsOnB.get();
                topology.cli(primary, "PUBLISH", prefix + ":invalidations", "another-node\nprices\nK" + key);
                await("node B to hear an invalidation published on " + primary, Duration.ofSeconds(10),
                        () -> !onB.get(key, loader).equals(cached) && loadsOnB.get() > loads);
            }
        }
    }

    @Test
    void invalidateAllDeletesTheCacheOnEveryPrimaryAndReachesTheOtherNode() throws Exception {
        CountingLoader loader = new CountingLoader();
        try (Caches a = Caches.open(config("{}"), new SimpleMeterRegistry());
             Caches b = Caches.open(config("{}"), new SimpleMeterRegistry())) {
            RedisFixture.awaitSubscribed(a);
            RedisFixture.awaitSubscribed(b);
            Cache<Long, Product> onA = TestProducts.products(a, "catalogue");
            Cache<Long, Product> onB = TestProducts.products(b, "catalogue");
            Cache<Long, Product> other = TestProducts.products(a, "other");
            for (long id = 0; id < 30; id++) {
                onA.get(id, loader);
                onB.get(id, loader);
                other.get(id, loader);
            }
            assertEquals(60, loader.calls(), "node B read the catalogue from Redis");

            onA.invalidateAll();
            int left = 0;
            int others = 0;
            for (String primary : topology.primaries()) {
                left += scan(primary, prefix + ":catalogue:*").size();
                others += scan(primary, prefix + ":other:*").size();
            }
            assertEquals(0, left, "no catalogue entry is left on any primary");
            assertEquals(30, others, "another cache's entries are untouched");
            await("node B to drop its L1 copies", Duration.ofSeconds(10), () -> {
                int before = loader.calls();
                onB.get(0L, loader);
                return loader.calls() > before;
            });
        }
    }

    @Test
    void twoNodesWithTheCrossNodeLockMakeOneLoaderCallInTotal() throws Exception {
        CachesConfig config = config("caches: {locked: {crossNodeLock: true, lockWait: 2s}}");
        AtomicInteger loads = new AtomicInteger();
        SimpleMeterRegistry registryA = new SimpleMeterRegistry();
        SimpleMeterRegistry registryB = new SimpleMeterRegistry();
        Loader<String, String> slowLoad = StampedeTest.heldUntilBothNodesMissed(loads, "locked", registryA, registryB);
        try (Caches a = Caches.open(config, registryA); Caches b = Caches.open(config, registryB)) {
            List<Cache<String, String>> caches = List.of(a.cache("locked", KeyCodec.strings(), String.class),
                    b.cache("locked", KeyCodec.strings(), String.class));
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Cache<String, String> cache : caches) {
                    for (int i = 0; i < 100; i++) {
                        results.add(threads.submit(() -> {
                            go.await();
                            return cache.get("hot", slowLoad);
                        }));
                    }
                }
                go.countDown();
            }
            for (Future<String> f : results) {
                assertEquals("value of hot", f.get());
            }
            assertEquals(1, loads.get(), "one load across both nodes");
            double acquired = registryA.get("cache.lock").tag("result", "acquired").counter().count()
                    + registryB.get("cache.lock").tag("result", "acquired").counter().count();
            double waited = registryA.get("cache.lock").tag("result", "waited").counter().count()
                    + registryB.get("cache.lock").tag("result", "waited").counter().count();
            assertEquals(1, acquired);
            assertEquals(1, waited, "the other node waited for the holder's result");
            String lockKey = prefix + ":locked:lock:v1:hot";
            assertEquals("0", topology.cli(topology.primaryFor(lockKey), "EXISTS", lockKey).strip(),
                    "the holder released the lock");
        }
    }

    @Test
    void aPrimaryKilledUnderLoadIsReplacedAndNoReadFails() throws Exception {
        try (RedisTopology own = start()) {
            FailoverUnderLoad.Result r = new FailoverUnderLoad(own, "weft-failover-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong())).run();
            System.out.println(own.kind() + " failover: " + r);
        }
    }
}
