package dev.weft.cache;

import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.weft.cache.codec.EntryFormat;
import dev.weft.cache.codec.JsonCodec;
import dev.weft.cache.codec.KeyCodec;
import dev.weft.cache.codec.ValueCodec;
import dev.weft.cache.local.BloomFilter;
import dev.weft.cache.metrics.CacheMetrics;
import dev.weft.cache.redis.CircuitBreaker;
import dev.weft.cache.redis.InvalidationBus;
import dev.weft.cache.redis.RedisConfig;
import dev.weft.cache.redis.RedisHealthCheck;
import dev.weft.cache.redis.RedisStore;
import dev.weft.http.health.HealthCheck;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The caches of one node (one JVM): one Redis client with its circuit breaker, one invalidation subscription, and
 * any number of named {@link Cache}s on top. Open one per application, close it on shutdown.
 *
 * <pre>{@code
 * Caches caches = Caches.open(RedisConfig.defaults(), registry);
 * Cache<Long, Product> products = caches.cache(CacheConfig.defaults("products"), KeyCodec.longs(), Product.class);
 * Product p = products.get(42L, id -> repository.find(id));
 * }</pre>
 *
 * Opening never fails because Redis is down: the client connects lazily and the caches then serve from their
 * loaders until Redis answers.
 *
 * <p>{@link #local(MeterRegistry)} gives the same caches without Redis, for a service that runs as one JVM: the
 * same read path (L1, null markers, jittered TTLs, single-flight, early refresh, meters) with the L2 step skipped.
 * With one node there is nobody to tell about a write, so there is no invalidation subscription and no breaker.
 */
public final class Caches implements AutoCloseable {
    /** Both {@code null} for a {@link #local} node. */
    private final RedisStore redis;
    private final InvalidationBus bus;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, TieredCache<?, ?>> caches = new ConcurrentHashMap<>();

    private Caches(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.redis = null;
        this.bus = null;
    }

    private Caches(RedisConfig config, MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.redis = new RedisStore(config, registry);
        this.bus = new InvalidationBus(redis, UUID.randomUUID().toString(), new InvalidationBus.Listener() {
            @Override
            public void invalidated(String cache, String keyText) {
                TieredCache<?, ?> c = caches.get(cache);
                if (c != null) {
                    c.invalidatedElsewhere(keyText);
                }
            }

            @Override
            public void reset() {
                caches.values().forEach(TieredCache::resetLocal);
            }
        });
        Gauge.builder("cache.invalidations.subscribed", bus, b -> b.subscribed() ? 1 : 0)
                .description("1 while this node receives invalidations")
                .register(registry);
    }

    /**
     * Opens the node's Redis client and starts its invalidation subscriber.
     *
     * @throws dev.weft.http.ConfigException listing every problem of an invalid {@code config}
     */
    public static Caches open(RedisConfig config, MeterRegistry registry) {
        Caches caches = new Caches(config.requireValid(), registry);
        caches.bus.start();
        return caches;
    }

    /**
     * A node without Redis: every cache it makes keeps its entries in process only (L1), for their jittered
     * {@code ttl} ({@code nullTtl} for a null marker); {@code localTtl}, which bounds how long a node may miss
     * another node's write, and the cross-node lock have no part to play. A cache with {@code localMaxEntries} 0
     * caches nothing here, but still makes concurrent misses of one key share one load.
     */
    public static Caches local(MeterRegistry registry) {
        return new Caches(registry);
    }

    /** A cache whose values are stored as JSON (Jackson). */
    public <K, V> Cache<K, V> cache(CacheConfig config, KeyCodec<K> keys, Class<V> valueType) {
        return cache(config, keys, JsonCodec.of(valueType), null);
    }

    /** A cache with the given value codec. */
    public <K, V> Cache<K, V> cache(CacheConfig config, KeyCodec<K> keys, ValueCodec<V> values) {
        return cache(config, keys, values, null);
    }

    /**
     * A cache that answers "absent" at once for any key {@code knownKeys} has never seen (see {@link BloomFilter}).
     *
     * @param knownKeys the key texts (as {@code keys} encodes them) that may exist, or {@code null} for no filter
     * @throws dev.weft.http.ConfigException listing every problem of an invalid {@code config}
     * @throws IllegalArgumentException if this node already has a cache of that name
     */
    public <K, V> Cache<K, V> cache(CacheConfig config, KeyCodec<K> keys, ValueCodec<V> values,
                                    BloomFilter knownKeys) {
        config.requireValid();
        TieredCache<K, V> cache = new TieredCache<>(config, Objects.requireNonNull(keys, "keys"),
                new EntryFormat<>(Objects.requireNonNull(values, "values")), redis, bus, knownKeys,
                new CacheMetrics(registry, config.name()));
        if (caches.putIfAbsent(config.name(), cache) != null) {
            throw new IllegalArgumentException("cache " + config.name() + " already exists on this node");
        }
        return cache;
    }

    /**
     * A readiness check: Redis answers {@code PING} (the caches work without Redis, but slower).
     *
     * @throws IllegalStateException on a {@link #local} node, which has no Redis to check
     */
    public HealthCheck healthCheck() {
        return new RedisHealthCheck(requireRedis());
    }

    /**
     * The Redis circuit breaker's state.
     *
     * @throws IllegalStateException on a {@link #local} node, which has no breaker
     */
    public CircuitBreaker.State breakerState() {
        return requireRedis().breaker().state();
    }

    /**
     * True while this node receives invalidation messages. Its caches use L1 while this is true, and also while
     * Redis is unreachable altogether; not while Redis answers but the subscription is down. Always false on a
     * {@link #local} node, whose caches use L1 all the time.
     */
    public boolean receivingInvalidations() {
        return bus != null && bus.subscribed();
    }

    private RedisStore requireRedis() {
        if (redis == null) {
            throw new IllegalStateException("a local Caches has no Redis");
        }
        return redis;
    }

    @Override
    public void close() {
        if (redis != null) {
            bus.close();
            redis.close();
        }
    }
}
