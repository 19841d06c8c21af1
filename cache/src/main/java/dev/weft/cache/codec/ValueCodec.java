package dev.weft.cache.codec;

/**
 * Turns a cached value into the bytes stored in Redis and back. A change of format is a bump of the cache's
 * {@code version} (a new key space), never an in-place migration, so a codec need not read older formats.
 */
public interface ValueCodec<V> {
    byte[] encode(V value);

    /** Reads the value held in {@code bytes[offset, offset + length)}, so that callers need not copy a slice. */
    V decode(byte[] bytes, int offset, int length);
}
