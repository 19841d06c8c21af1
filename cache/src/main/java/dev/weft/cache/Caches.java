package dev.weft.cache;

import java.time.InstantSource;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.weft.cache.codec.EntryFormat;
import dev.weft.cache.codec.JsonCodec;
import dev.weft.cache.codec.KeyCodec;
import dev.weft.cache.codec.ValueCodec;
import dev.weft.cache.local.BloomFilter;
import dev.weft.cache.local.CoarseClock;
import dev.weft.cache.metrics.CacheMetrics;
import dev.weft.cache.redis.CircuitBreaker;
import dev.weft.cache.redis.InvalidationBus;
import dev.weft.cache.redis.RedisHealthCheck;
import dev.weft.cache.redis.RedisStore;
import dev.weft.config.Problems;
import dev.weft.health.HealthCheck;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The caches of one node (one JVM), opened from the {@code cache} section ({@link CachesConfig}): in Redis mode one
 * Redis client with its circuit breaker and one invalidation subscription, and any number of named {@link Cache}s on
 * top. Open one per application, close it on shutdown.
 *
 * <pre>{@code
 * CachesConfig config = CachesConfig.from(tree.section("cache"));
 * tree.throwIfProblems();
 * Caches caches = Caches.open(config, registry);
 * Cache<Long, Product> products = caches.cache("products", KeyCodec.longs(), Product.class);
 * Product p = products.get(42L, id -> repository.find(id));
 * }</pre>
 *
 * <p>The mode decides where entries live, and nothing else changes for the code that uses the caches:
 * <ul>
 *   <li>{@link CachesConfig.Mode#REDIS}: L1 (Caffeine) in front of Redis. Opening never fails because Redis is down:
 *       the client connects lazily and the caches then serve from their loaders until Redis answers.</li>
 *   <li>{@link CachesConfig.Mode#LOCAL}: the same read path (L1, null markers, jittered TTLs, single-flight, early
 *       refresh, meters) with the L2 steps skipped. With one node there is nobody to tell about a write, so there is
 *       no invalidation subscription and no breaker, and an L1 entry lives its full jittered {@code ttl}
 *       ({@code nullTtl} for a null marker): {@code localTtl}, which bounds how long a node may miss another node's
 *       write, and the cross-node lock have no part to play. A cache with {@code localMaxEntries} 0 caches nothing
 *       here, but still makes concurrent misses of one key share one load.</li>
 *   <li>{@link CachesConfig.Mode#OFF}: every read calls the loader; the meters still count each call.</li>
 * </ul>
 */
public final class Caches implements AutoCloseable {
    private final CachesConfig config;
    /** Both {@code null} unless the mode is {@link CachesConfig.Mode#REDIS}. */
    private final RedisStore redis;
    private final InvalidationBus bus;
    private final MeterRegistry registry;
    private final InstantSource clock;
    /** The clock this node started and stops on close; {@code null} if the caller gave one (or in off mode). */
    private final CoarseClock ownClock;
    private final ConcurrentHashMap<String, Cache<?, ?>> caches = new ConcurrentHashMap<>();

    private Caches(CachesConfig config, MeterRegistry registry, InstantSource clock, CoarseClock ownClock) {
        this.config = config;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = clock;
        this.ownClock = ownClock;
        if (config.mode() != CachesConfig.Mode.REDIS) {
            this.redis = null;
            this.bus = null;
            return;
        }
        this.redis = new RedisStore(config.redis(), registry, this::localUsabilityChanged);
        this.bus = new InvalidationBus(redis, UUID.randomUUID().toString(), new InvalidationBus.Listener() {
            @Override
            public void invalidated(String cache, String keyText) {
                if (caches.get(cache) instanceof TieredCache<?, ?> c) {
                    c.invalidatedElsewhere(keyText);
                }
            }

            @Override
            public void reset() {
                caches.values().forEach(c -> {
                    if (c instanceof TieredCache<?, ?> t) {
                        t.resetLocal();
                    }
                });
            }

            @Override
            public void subscriptionChanged() {
                localUsabilityChanged();
            }
        });
        Gauge.builder("cache.invalidations.subscribed", bus, b -> b.subscribed() ? 1 : 0)
                .description("1 while this node receives invalidations")
                .register(registry);
        FunctionCounter.builder("cache.invalidations.lost", bus, InvalidationBus::losses)
                .description("invalidation subscriptions lost (each clears L1 until the next is made)")
                .register(registry);
    }

    /**
     * Opens the node: in Redis mode, its Redis client and its invalidation subscriber; in Redis and local mode, the
     * {@link CoarseClock} its caches read the time from (one thread, stopped by {@link #close()}).
     *
     * @throws dev.weft.config.ConfigException listing every problem of an invalid {@code config}, under
     *                                         {@code cache.}
     */
    public static Caches open(CachesConfig config, MeterRegistry registry) {
        CachesConfig valid = Problems.requireValid("cache", config, CachesConfig::validate);
        if (valid.mode() == CachesConfig.Mode.OFF) {
            return start(new Caches(valid, registry, InstantSource.system(), null));
        }
        CoarseClock clock = CoarseClock.start();
        try {
            return start(new Caches(valid, registry, clock, clock));
        } catch (RuntimeException | Error e) {
            clock.close();
            throw e;
        }
    }

    /**
     * Opens the node with {@code clock} as the caches' time source (epoch milliseconds: entries' expiry, null
     * markers, early refresh), instead of the {@link CoarseClock} {@link #open(CachesConfig, MeterRegistry)} starts.
     * A test hands in a clock it moves itself; the node does not close it. Every node sharing a Redis must read the
     * same wall clock, since entries in Redis carry their expiry as an instant.
     *
     * @throws dev.weft.config.ConfigException listing every problem of an invalid {@code config}, under
     *                                         {@code cache.}
     */
    public static Caches open(CachesConfig config, MeterRegistry registry, InstantSource clock) {
        Objects.requireNonNull(clock, "clock");
        return start(new Caches(Problems.requireValid("cache", config, CachesConfig::validate), registry, clock, null));
    }

    private static Caches start(Caches caches) {
        if (caches.bus != null) {
            caches.bus.start();
        }
        return caches;
    }

    /** The cache called {@code name}, its values stored as JSON (Jackson). */
    public <K, V> Cache<K, V> cache(String name, KeyCodec<K> keys, Class<V> valueType) {
        return cache(name, keys, JsonCodec.of(valueType), null);
    }

    /** The cache called {@code name}, with the given value codec. */
    public <K, V> Cache<K, V> cache(String name, KeyCodec<K> keys, ValueCodec<V> values) {
        return cache(name, keys, values, null);
    }

    /**
     * The cache called {@code name}, with the settings {@code cache.caches.<name>} gives it, else
     * {@link CacheConfig#defaults()}; with {@code knownKeys}, it answers "absent" at once for any key the filter has
     * never seen (see {@link BloomFilter}; in {@link CachesConfig.Mode#OFF} every read goes to the loader).
     *
     * @param name      part of every Redis key and the meters' {@code cache} tag: 1 to 64 characters of
     *                  {@code A-Z a-z 0-9 _ . -}
     * @param knownKeys the key texts (as {@code keys} encodes them) that may exist, or {@code null} for no filter
     * @throws IllegalArgumentException if {@code name} is not a valid name or this node already has a cache of
     *                                  that name
     */
    public synchronized <K, V> Cache<K, V> cache(String name, KeyCodec<K> keys, ValueCodec<V> values,
                                                 BloomFilter knownKeys) {
        if (name == null || !CachesConfig.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a cache name must be " + CachesConfig.NAME_RULE + ", was "
                    + (name == null ? "null" : "\"" + name + "\""));
        }
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(values, "values");
        if (caches.containsKey(name)) {
            throw new IllegalArgumentException("cache " + name + " already exists on this node");
        }
        CacheMetrics metrics = new CacheMetrics(registry, name);
        Cache<K, V> cache = config.mode() == CachesConfig.Mode.OFF
                ? new PassThroughCache<>(name, metrics)
                : new TieredCache<>(name, config.caches().getOrDefault(name, CacheConfig.defaults()), keys,
                        new EntryFormat<>(values), redis, bus, knownKeys, metrics, clock);
        if (caches.putIfAbsent(name, cache) != null) {
            throw new IllegalArgumentException("cache " + name + " already exists on this node");
        }
        if (cache instanceof TieredCache<?, ?> t) {
            t.useLocal(localUsable());
        }
        return cache;
    }

    /**
     * Whether this node's caches may read and fill L1: without Redis, always (L1 is the only level); with it, while
     * this node receives invalidations, or while Redis is unreachable altogether (the breaker is not closed), when
     * no node can publish and so there is nothing to miss, and L1 is what keeps the full read load off the database.
     * Not while Redis answers but this node's subscription is down: then other nodes' invalidations would be missed.
     * L1 is cleared whenever the subscription is lost or regained.
     */
    private boolean localUsable() {
        return bus == null || bus.subscribed() || redis.breaker().state() != CircuitBreaker.State.CLOSED;
    }

    /**
     * The subscription or the breaker changed: tell every cache whether it may use L1 now. The caches keep the answer
     * in the field their hit reads anyway ({@code TieredCache.get}), so that a hit does not ask the bus and the
     * breaker itself. Under this node's lock, so that of two changes racing, the one applied last reads both.
     */
    private synchronized void localUsabilityChanged() {
        boolean usable = localUsable();
        caches.values().forEach(c -> {
            if (c instanceof TieredCache<?, ?> t) {
                t.useLocal(usable);
            }
        });
    }

    /**
     * A readiness check. In Redis mode, Redis answers {@code PING} (the caches work without Redis, but every node
     * then loads on its own); in local and off mode the caches need nothing outside this JVM, and it passes.
     */
    public HealthCheck healthCheck() {
        return redis == null ? () -> {} : new RedisHealthCheck(redis);
    }

    /**
     * The Redis circuit breaker's state.
     *
     * @throws IllegalStateException outside Redis mode, where there is no breaker
     */
    public CircuitBreaker.State breakerState() {
        if (redis == null) {
            throw new IllegalStateException("a cache in " + config.mode().name().toLowerCase(Locale.ROOT)
                    + " mode has no Redis");
        }
        return redis.breaker().state();
    }

    /**
     * True while this node receives invalidation messages. Its caches use L1 while this is true, and also while
     * Redis is unreachable altogether; not while Redis answers but the subscription is down. Always false outside
     * Redis mode, where the caches use L1 all the time (local) or not at all (off).
     */
    public boolean receivingInvalidations() {
        return bus != null && bus.subscribed();
    }

    @Override
    public void close() {
        if (redis != null) {
            bus.close();
            redis.close();
        }
        if (ownClock != null) {
            ownClock.close();
        }
    }
}
