package dev.weft.cache;

import java.util.Collection;
import java.util.Map;

/**
 * A two-level cache: an in-process level (L1, Caffeine) in front of Redis (L2) in front of the caller's loader (the
 * database). Get one from {@link Caches#cache}. In local mode there is no Redis, and in off mode no level at all:
 * every read calls the loader (see {@link CachesConfig.Mode}); what the methods return and throw is the same in
 * every mode.
 *
 * <p>A read goes L1, then L2, then the loader; a value found in L2 fills L1 for at most the time it has left in
 * L2. A loader that finds nothing (returns {@code null}) is remembered as a null marker for the cache's
 * {@code nullTtl}, so repeated lookups of a missing id do not reach the database ({@code nullTtl} 0: it is not
 * remembered, and every lookup of a missing id calls the loader). Concurrent misses of one key in
 * one JVM call the loader once. <b>Redis trouble is a miss, never an error</b>: only the loader's own failure
 * reaches the caller, as a {@link CacheLoadException}.
 *
 * <p>Writes ({@link #put}, {@link #invalidate}, {@link #invalidateAll}) change L2 and this node's L1 at once, and
 * the other nodes' L1 through a pub/sub message; the module README states the consistency model and the worst-case
 * staleness. Keys must not be {@code null}. Thread-safe.
 */
public interface Cache<K, V> {
    /** The cache's name, as given to {@link Caches#cache}. */
    String name();

    /**
     * The value for {@code key}: from L1, else L2, else {@code loader} (whose result is then stored in both).
     *
     * @return the value, or {@code null} if the loader found none (now or within the null TTL)
     * @throws CacheLoadException if the loader had to be called and threw
     */
    V get(K key, Loader<? super K, ? extends V> loader);

    /**
     * The values of {@code keys}: those in L1, then those in L2 (one round trip), then the rest from
     * {@code bulkLoader} in one call. Keys the loader leaves out of its map are stored as null markers (unless
     * {@code nullTtl} is 0).
     *
     * @return the values found, in the order of {@code keys}; keys with no value are absent from the map
     * @throws CacheLoadException if the bulk loader had to be called and threw
     */
    Map<K, V> getAll(Collection<? extends K> keys, BulkLoader<K, V> bulkLoader);

    /** Stores {@code value} (not null; use {@link #invalidate} for "gone") in L2 and L1, and tells the other nodes. */
    void put(K key, V value);

    /** Removes {@code key} from L2 and L1, and tells the other nodes to drop it from theirs. */
    void invalidate(K key);

    /**
     * Removes every entry of this cache (this name and version) from L2 (a {@code SCAN} and {@code UNLINK} of its
     * key space, not a flush) and from every node's L1.
     */
    void invalidateAll();
}
