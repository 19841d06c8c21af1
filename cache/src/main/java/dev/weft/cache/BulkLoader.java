package dev.weft.cache;

import java.util.Map;
import java.util.Set;

/**
 * Loads many values in one call (one {@code SELECT ... WHERE id IN (...)}); keys it leaves out of the returned map
 * have no value. May block.
 */
@FunctionalInterface
public interface BulkLoader<K, V> {
    Map<K, V> loadAll(Set<K> keys) throws Exception;
}
