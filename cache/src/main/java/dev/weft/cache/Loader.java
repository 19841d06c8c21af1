package dev.weft.cache;

/** Loads one value from the source of truth; returns {@code null} when there is none. May block (virtual threads). */
@FunctionalInterface
public interface Loader<K, V> {
    V load(K key) throws Exception;
}
