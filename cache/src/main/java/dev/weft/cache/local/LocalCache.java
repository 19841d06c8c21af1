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
 * <p>Expiry is checked by the reader, against its clock reading, rather than by Caffeine's own expiry policy:
 * Caffeine's expiry would read its ticker (the system clock) on every hit and keep a timer wheel, where a hit here
 * compares one field of the slot with the node's coarse clock. An expired entry that is never read again simply
 * waits for the size bound to evict it.
 *
 * <p>Each slot also knows from when early refresh (XFetch) could fire for it, so that a hit makes one comparison,
 * against {@link Slot#quietUntil()}, for both questions, and only a hit past that instant asks them one by one.
 */
public final class LocalCache<K, V> {
    private final com.github.benmanes.caffeine.cache.Cache<K, Slot<V>> map;
    private final long ttlMillis;
    private final long refreshHorizonPerComputeMilli;

    /**
     * What L1 holds for a key: the entry, the fields a hit reads copied out of it (so that a hit follows one reference
     * from Caffeine's node, not two), the instant the L1 copy stops being good, and the instant until which a hit
     * needs no check at all.
     */
    public static final class Slot<V> {
        private final Entry<V> entry;
        private final V value;
        private final long goodUntil;
        private final long quietUntil;

        private Slot(Entry<V> entry, long goodUntil, long refreshHorizonPerComputeMilli) {
            this.entry = entry;
            this.value = entry.value();
            this.goodUntil = goodUntil;
            boolean refreshes = refreshHorizonPerComputeMilli > 0 && !entry.isNull() && entry.computeMillis() > 0;
            this.quietUntil = !refreshes ? goodUntil : Math.min(goodUntil,
                    entry.freshUntil() - entry.computeMillis() * refreshHorizonPerComputeMilli);
        }

        public Entry<V> entry() {
            return entry;
        }

        /** {@link Entry#value()}: {@code null} for a null marker. */
        public V value() {
            return value;
        }

        /** Epoch milliseconds from which this L1 copy is no longer served. */
        public long goodUntil() {
            return goodUntil;
        }

        /**
         * Epoch milliseconds before which a hit is simply served: the copy is good, and early refresh cannot fire
         * (the entry has more than its refresh horizon left, or is never refreshed early). At or after it the reader
         * checks {@link #goodUntil()} and early refresh itself.
         */
        public long quietUntil() {
            return quietUntil;
        }
    }

    /**
     * @param refreshHorizonPerComputeMilli how long before its expiry, per millisecond its computation took, an
     *                                      entry may be refreshed early; 0 if never (see {@link Slot#quietUntil()})
     */
    public LocalCache(long maxEntries, Duration ttl, long refreshHorizonPerComputeMilli, Counter evictions) {
        this.ttlMillis = ttl.toMillis();
        this.refreshHorizonPerComputeMilli = refreshHorizonPerComputeMilli;
        this.map = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .evictionListener((K key, Slot<V> slot, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        evictions.increment();
                    }
                })
                .build();
    }

    /**
     * The Caffeine map itself, from key to slot, for the read path's hit: it looks a key up here directly and compares
     * the time with {@link Slot#quietUntil()} itself, since going through this class costs the hit one dependent load
     * more (module README, Numbers). Writes go through this class.
     */
    public com.github.benmanes.caffeine.cache.Cache<K, Slot<V>> map() {
        return map;
    }

    /** The slot of {@code key} if it is still good at {@code nowMillis}, else {@code null}. */
    public Slot<V> get(K key, long nowMillis) {
        Slot<V> slot = map.getIfPresent(key);
        if (slot == null) {
            return null;
        }
        if (nowMillis >= slot.goodUntil) {
            remove(key, slot);
            return null;
        }
        return slot;
    }

    /** Drops {@code slot}, which is no longer good, unless {@code key} has been given another one meanwhile. */
    public void remove(K key, Slot<V> slot) {
        map.asMap().remove(key, slot);
    }

    public void put(K key, Entry<V> entry, long nowMillis) {
        map.put(key, new Slot<>(entry, Math.min(entry.freshUntil(), nowMillis + ttlMillis), refreshHorizonPerComputeMilli));
    }

    public void invalidate(K key) {
        map.invalidate(key);
    }

    public void clear() {
        map.invalidateAll();
    }
}
