package dev.weft.cache;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.weft.cache.metrics.CacheMetrics;

/**
 * The {@link Cache} of {@link CachesConfig.Mode#OFF}: nothing is stored, every read calls the loader. It keeps the
 * contract of a real cache (null for "none", a loader's failure as {@link CacheLoadException}) and its meters, with
 * every loader call in {@code cache.loads}, so that a service measured with its cache off differs from one with
 * its cache on only in what the cache does. Concurrent reads of one key are not merged either: that is caching
 * too. Writes have nothing to change.
 */
final class PassThroughCache<K, V> implements Cache<K, V> {
    private final String name;
    private final CacheMetrics metrics;

    PassThroughCache(String name, CacheMetrics metrics) {
        this.name = name;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public V get(K key, Loader<? super K, ? extends V> loader) {
        Objects.requireNonNull(key, "key");
        long start = System.nanoTime();
        V value;
        try {
            value = loader.load(key);
        } catch (Exception e) {
            metrics.load(System.nanoTime() - start, false, true);
            throw new CacheLoadException(name, key, e);
        }
        metrics.load(System.nanoTime() - start, value != null, false);
        return value;
    }

    @Override
    public Map<K, V> getAll(Collection<? extends K> keys, BulkLoader<K, V> bulkLoader) {
        Set<K> wanted = new LinkedHashSet<>();
        for (K key : keys) {
            wanted.add(Objects.requireNonNull(key, "key"));
        }
        Map<K, V> values = new LinkedHashMap<>();
        if (wanted.isEmpty()) {
            return values;
        }
        long start = System.nanoTime();
        Map<K, V> loaded;
        try {
            loaded = bulkLoader.loadAll(Set.copyOf(wanted));
        } catch (Exception e) {
            metrics.load(System.nanoTime() - start, false, true);
            throw new CacheLoadException(name, wanted, e);
        }
        metrics.load(System.nanoTime() - start, loaded != null && !loaded.isEmpty(), false);
        for (K key : wanted) {
            V value = loaded == null ? null : loaded.get(key);
            if (value != null) {
                values.put(key, value);
            }
        }
        return values;
    }

    @Override
    public void put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value (use invalidate to remove a key)");
    }

    @Override
    public void invalidate(K key) {
        Objects.requireNonNull(key, "key");
    }

    @Override
    public void invalidateAll() {}
}
