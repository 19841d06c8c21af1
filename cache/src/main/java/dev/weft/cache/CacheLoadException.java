package dev.weft.cache;

/**
 * The loader threw. This is the only error a read reports: Redis trouble never surfaces (it is a miss). Nothing is
 * cached for a failed load, so the next read tries again. The cause is the loader's exception.
 */
public final class CacheLoadException extends RuntimeException {
    public CacheLoadException(String cache, Object key, Throwable cause) {
        super("cache " + cache + ": loading " + key + " failed: " + cause, cause);
    }
}
