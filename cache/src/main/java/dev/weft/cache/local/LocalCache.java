package dev.weft.cache.local;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;

import dev.weft.cache.Entry;
import io.micrometer.core.instrument.Counter;

/**
 * The first level: a size-bounded Caffeine map from key to {@link Entry}. Each entry is good for the shorter of the
 * configured local TTL and the time it has left in Redis, so L1 never serves an entry that L2 considers expired.
 *
 * <p>Expiry is checked here, on read, against the caller's clock reading, rather than by Caffeine's own expiry
 * policy: the read path needs the time anyway (for early refresh), and Caffeine's expiry would read the clock a
 * second time on every hit. An expired entry that is never read again simply waits for the size bound to evict it.
 */
public final class LocalCache<K, V> {
    private final com.github.benmanes.caffeine.cache.Cache<K, Slot<V>> map;
    private final long ttlMillis;

    /**
     * What L1 holds for a key: the entry, the fields a hit reads copied out of it (so that a hit follows one reference
     * from Caffeine's node, not two), and the instant the L1 copy stops being good.
     */
    public static final class Slot<V> {
        private final Entry<V> entry;
        private final V value;
        private final long freshUntil;
        private final int computeMillis;
        private final long goodUntil;

        private Slot(Entry<V> entry, long goodUntil) {
            this.entry = entry;
            this.value = entry.value();
            this.freshUntil = entry.freshUntil();
            this.computeMillis = entry.computeMillis();
            this.goodUntil = goodUntil;
        }

        public Entry<V> entry() {
            return entry;
        }

        /** {@link Entry#value()}: {@code null} for a null marker. */
        public V value() {
            return value;
        }

        /** {@link Entry#freshUntil()}. */
        public long freshUntil() {
            return freshUntil;
        }

        /** {@link Entry#computeMillis()}. */
        public int computeMillis() {
            return computeMillis;
        }
    }

    public LocalCache(long maxEntries, Duration ttl, Counter evictions) {
        this.ttlMillis = ttl.toMillis();
        this.map = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .evictionListener((K key, Slot<V> slot, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        evictions.increment();
                    }
                })
                .build();
    }

    /** The slot of {@code key} if it is still good at {@code nowMillis}, else {@code null}. */
    public Slot<V> get(K key, long nowMillis) {
        Slot<V> slot = map.getIfPresent(key);
        if (slot == null) {
            return null;
        }
        if (nowMillis >= slot.goodUntil) {
            map.asMap().remove(key, slot);
            return null;
        }
        return slot;
    }

    public void put(K key, Entry<V> entry, long nowMillis) {
        map.put(key, new Slot<>(entry, Math.min(entry.freshUntil(), nowMillis + ttlMillis)));
    }

    public void invalidate(K key) {
        map.invalidate(key);
    }

    public void clear() {
        map.invalidateAll();
    }
}
