package dev.weft.shop.catalog;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;

import dev.weft.cache.BulkLoader;
import dev.weft.cache.Cache;
import dev.weft.cache.CacheConfig;
import dev.weft.cache.CacheLoadException;
import dev.weft.cache.Entry;
import dev.weft.cache.Loader;
import dev.weft.cache.local.CoarseClock;
import dev.weft.cache.local.LocalCache;
import dev.weft.cache.local.SingleFlight;
import dev.weft.cache.metrics.CacheMetrics;

/**
 * The embedded product cache: the cache module's first level (Caffeine) and single-flight without Redis, for a shop
 * that runs as one JVM with nothing installed ({@code cache.mode: local}). Same contract as the two-level cache:
 * jittered TTLs from the cache's configuration, missing products cached as null markers for {@code nullTtl}, one
 * load per key at a time, and the same meters ({@code cache.gets{level=l1}}, {@code cache.loads}, {@code
 * cache.evictions}). With one node there is no one else to tell about an invalidation.
 *
 * <p>An invalidation that lands while a load is in flight wins: the load's (possibly older) result is returned to
 * its callers but not stored.
 */
public final class LocalProductCache implements Cache<Long, Product> {
    private final CacheConfig config;
    private final CacheMetrics metrics;
    private final LocalCache<Long, Product> entries;
    private final SingleFlight<Long, Entry<Product>> loads = new SingleFlight<>();
    private final AtomicLong generation = new AtomicLong();

    public LocalProductCache(CacheConfig config, MeterRegistry registry) {
        this.config = config.requireValid();
        this.metrics = new CacheMetrics(registry, config.name());
        this.entries = new LocalCache<>(config.localMaxEntries(), config.ttl().plus(config.ttlJitter()),
                metrics.evictions);
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Product get(Long key, Loader<? super Long, ? extends Product> loader) {
        Entry<Product> hit = entries.get(key, CoarseClock.millis());
        if (hit != null) {
            (hit.isNull() ? metrics.l1NullHit : metrics.l1Hit).increment();
            return hit.value();
        }
        metrics.l1Miss.increment();
        return loads.run(key, () -> load(key, loader)).value();
    }

    @Override
    public Map<Long, Product> getAll(Collection<? extends Long> keys, BulkLoader<Long, Product> bulkLoader) {
        Map<Long, Product> found = new LinkedHashMap<>();
        for (Long key : keys) {
            Product p = get(key, k -> bulkLoader.loadAll(Set.of(k)).get(k));
            if (p != null) {
                found.put(key, p);
            }
        }
        return found;
    }

    @Override
    public void put(Long key, Product value) {
        generation.incrementAndGet();
        entries.put(key, entry(value, 0), CoarseClock.millis());
    }

    @Override
    public void invalidate(Long key) {
        generation.incrementAndGet();
        entries.invalidate(key);
    }

    @Override
    public void invalidateAll() {
        generation.incrementAndGet();
        entries.clear();
    }

    private Entry<Product> load(Long key, Loader<? super Long, ? extends Product> loader) {
        long gen = generation.get();
        long start = System.nanoTime();
        Product value;
        try {
            value = loader.load(key);
        } catch (Exception e) {
            metrics.load(System.nanoTime() - start, false, true);
            throw new CacheLoadException(config.name(), key, e);
        }
        metrics.load(System.nanoTime() - start, value != null, false);
        Entry<Product> entry = entry(value, (int) ((System.nanoTime() - start) / 1_000_000));
        if (generation.get() == gen) {
            entries.put(key, entry, CoarseClock.millis());
        }
        return entry;
    }

    private Entry<Product> entry(Product value, int computeMillis) {
        long ttl = value == null ? config.nullTtl().toMillis()
                : config.ttl().toMillis() + ThreadLocalRandom.current().nextLong(config.ttlJitter().toMillis() + 1);
        return new Entry<>(value, CoarseClock.millis() + ttl, computeMillis);
    }
}
