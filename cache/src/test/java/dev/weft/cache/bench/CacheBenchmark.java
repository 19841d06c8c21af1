package dev.weft.cache.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import com.github.benmanes.caffeine.cache.Caffeine;

import dev.weft.cache.Cache;
import dev.weft.cache.Caches;
import dev.weft.cache.CachesConfig;
import dev.weft.cache.Entry;
import dev.weft.cache.Loader;
import dev.weft.cache.codec.JsonCodec;
import dev.weft.cache.codec.KeyCodec;
import dev.weft.cache.local.LocalCache;
import dev.weft.cache.metrics.ThreadCounts;
import dev.weft.config.ConfigTree;
import dev.weft.testkit.Services;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The cache's three read paths beside their bare baselines, in one run on one machine:
 * <ul>
 *   <li>{@code l1Hit} vs {@code bareCaffeineGetIfPresent}: the price of the cache's bookkeeping on a local hit;
 *       {@code localCacheLookup} is L1's look-up and expiry check alone, to show where the difference goes</li>
 *   <li>{@code systemCurrentTimeMillis}, {@code threadCountsIncrement} and {@code longAdderIncrement}: what a hit
 *       would pay for reading the system clock instead of the node's {@code CoarseClock}, and for counting with an
 *       atomic add instead of a per-thread cell</li>
 *   <li>{@code l2Hit} (L1 off) vs {@code bareJedisGetAndDecode}: the price of the entry header, breaker and
 *       metrics on a Redis hit</li>
 *   <li>{@code missAndLoad}: a cold key (Redis GET miss, an instant loader, Redis SET, L1 put)</li>
 * </ul>
 * Needs the Redis on 127.0.0.1:6379 (the WEFT_TEST_REDIS_* variables point elsewhere, see testkit); uses a random
 * key prefix and deletes its keys after.
 * Run: {@code ./weft mvn -B -q -pl cache -am -Pjmh verify -DskipTests}; the module README gives the alternating
 * short runs that its figures come from.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CacheBenchmark {
    public record Product(long id, String name, String description, long priceCents, List<String> tags) {}

    private static final Product PRODUCT = new Product(42, "Linen shirt", "A shirt of washed linen, relaxed fit",
            4_990, List.of("summer", "linen", "shirts"));
    private static final Loader<Long, Product> LOADER = id -> new Product(id, PRODUCT.name(), PRODUCT.description(),
            PRODUCT.priceCents(), PRODUCT.tags());

    private String prefix;
    private Caches caches;
    private Cache<Long, Product> withL1;
    private Cache<Long, Product> withoutL1;
    private Cache<Long, Product> cold;
    private com.github.benmanes.caffeine.cache.Cache<Long, Product> bareCaffeine;
    private LocalCache<Long, Product> localOnly;
    /** What a {@code CoarseClock} read costs (a volatile load), without a second ticking thread beside the node's. */
    private volatile long coarseNow = System.currentTimeMillis();
    private final ThreadCounts counts = new ThreadCounts(1);
    private final LongAdder adder = new LongAdder();
    private RedisClient bareJedis;
    private JsonCodec<Product> json;
    private byte[] bareKey;
    private long nextColdKey;

    private Map<String, Object> redisSettings() {
        Map<String, Object> redis = new java.util.HashMap<>(Services.redis().settings());
        redis.put("keyPrefix", prefix);
        return redis;
    }

    @Setup
    public void setUp() {
        prefix = "weft-cache-bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        caches = Caches.open(ConfigTree.of(Map.of(
                "mode", "redis",
                "redis", redisSettings(),
                "caches", Map.of(
                        "l2", Map.of("localMaxEntries", 0),
                        "cold", Map.of("ttl", "30s", "ttlJitter", "0s", "staleGrace", "0s"))))
                .read(CachesConfig::from), new SimpleMeterRegistry());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!caches.receivingInvalidations() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        withL1 = caches.cache("l1", KeyCodec.longs(), Product.class);
        withoutL1 = caches.cache("l2", KeyCodec.longs(), Product.class);
        cold = caches.cache("cold", KeyCodec.longs(), Product.class);
        withL1.get(42L, LOADER);
        withoutL1.get(42L, LOADER);

        bareCaffeine = Caffeine.newBuilder().maximumSize(10_000).build();
        bareCaffeine.put(42L, PRODUCT);
        localOnly = new LocalCache<>(10_000, Duration.ofMinutes(1), 36, new SimpleMeterRegistry().counter("unused"));
        localOnly.put(42L, new Entry<>(PRODUCT, System.currentTimeMillis() + 600_000, 1), System.currentTimeMillis());
        json = JsonCodec.of(Product.class);
        bareJedis = RedisClient.builder().hostAndPort(HostAndPort.from(Services.redis().address())).build();
        bareKey = (prefix + ":bare:42").getBytes(StandardCharsets.UTF_8);
        bareJedis.set(bareKey, json.encode(PRODUCT));
    }

    @TearDown
    public void tearDown() {
        caches.close();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = bareJedis.scan(cursor, new ScanParams().match(prefix + ":*").count(1000));
            if (!page.getResult().isEmpty()) {
                bareJedis.unlink(page.getResult().toArray(String[]::new));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        bareJedis.close();
    }

    @Benchmark
    public Product bareCaffeineGetIfPresent() {
        return bareCaffeine.getIfPresent(42L);
    }

    /** L1's look-up and expiry check alone, without the metrics and the rest of the read path. */
    @Benchmark
    public LocalCache.Slot<Product> localCacheLookup() {
        return localOnly.get(42L, coarseNow);
    }

    /** The wall clock as the JDK reads it, to weigh against the coarse clock's one volatile read. */
    @Benchmark
    public long systemCurrentTimeMillis() {
        return System.currentTimeMillis();
    }

    /** The count an L1 hit makes (a thread-owned cell, {@code ThreadCounts}), beside an uncontended atomic add. */
    @Benchmark
    public void threadCountsIncrement() {
        counts.increment(0);
    }

    @Benchmark
    public void longAdderIncrement() {
        adder.increment();
    }

    @Benchmark
    public Product l1Hit() {
        return withL1.get(42L, LOADER);
    }

    @Benchmark
    public Product bareJedisGetAndDecode() {
        byte[] bytes = bareJedis.get(bareKey);
        return json.decode(bytes, 0, bytes.length);
    }

    @Benchmark
    public Product l2Hit() {
        return withoutL1.get(42L, LOADER);
    }

    @Benchmark
    public Product missAndLoad() {
        return cold.get(nextColdKey++, LOADER);
    }
}
