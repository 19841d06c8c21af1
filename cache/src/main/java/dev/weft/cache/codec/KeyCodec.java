package dev.weft.cache.codec;

import java.util.UUID;
import java.util.function.Function;

/**
 * Turns a cache key into the text that ends a Redis key ({@code <prefix>:<cache>:v<version>:<text>}) and back. The
 * way back is needed because invalidation messages from other nodes carry the text, while the in-process level is
 * keyed by the key object itself (so that a local hit never builds a string).
 *
 * <p>Contract: {@code decode(encode(k)).equals(k)} for every key, and distinct keys encode to distinct text.
 */
public interface KeyCodec<K> {
    String encode(K key);

    K decode(String text);

    /** Keys that are strings already. */
    static KeyCodec<String> strings() {
        return of(Function.identity(), Function.identity());
    }

    /** {@code long} ids, written in decimal. */
    static KeyCodec<Long> longs() {
        return of(String::valueOf, Long::valueOf);
    }

    /** {@code int} ids, written in decimal. */
    static KeyCodec<Integer> ints() {
        return of(String::valueOf, Integer::valueOf);
    }

    static KeyCodec<UUID> uuids() {
        return of(UUID::toString, UUID::fromString);
    }

    /** A codec from two functions that honour the contract above. */
    static <K> KeyCodec<K> of(Function<? super K, String> encode, Function<String, ? extends K> decode) {
        return new KeyCodec<>() {
            @Override
            public String encode(K key) {
                return encode.apply(key);
            }

            @Override
            public K decode(String text) {
                return decode.apply(text);
            }
        };
    }
}
