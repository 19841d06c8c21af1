package dev.weft.cache.local;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;

import dev.weft.cache.Entry;
import io.micrometer.core.instrument.Counter;

/**
 * The first level: a bounded Caffeine map from key to {@link Entry}. Each entry lives for the shorter of the
 * configured local TTL and the time it has left in Redis, so L1 never serves an entry that L2 considers expired.
 */
public final class LocalCache<K, V> {
    private final com.github.benmanes.caffeine.cache.Cache<K, Entry<V>> map;

    public LocalCache(long maxEntries, Duration ttl, Counter evictions) {
        long ttlNanos = ttl.toNanos();
        this.map = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(new Expiry<K, Entry<V>>() {
                    @Override
                    public long expireAfterCreate(K key, Entry<V> entry, long currentTime) {
                        long left = (entry.freshUntil() - System.currentTimeMillis()) * 1_000_000L;
                        return Math.max(0, Math.min(ttlNanos, left));
                    }

                    @Override
                    public long expireAfterUpdate(K key, Entry<V> entry, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, entry, currentTime);
                    }

                    @Override
                    public long expireAfterRead(K key, Entry<V> entry, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .evictionListener((K key, Entry<V> entry, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        evictions.increment();
                    }
                })
                .build();
    }

    /** The entry for {@code key}, or {@code null}. */
    public Entry<V> get(K key) {
        return map.getIfPresent(key);
    }

    public void put(K key, Entry<V> entry) {
        map.put(key, entry);
    }

    public void invalidate(K key) {
        map.invalidate(key);
    }

    public void clear() {
        map.invalidateAll();
    }

    public long size() {
        return map.estimatedSize();
    }
}
