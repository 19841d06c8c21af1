package dev.weft.cache.local;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A Bloom filter of known key texts, for id spaces known up front (every product id, every SKU): a key it has never
 * seen is answered "absent" without touching Redis or the database, which stops lookups of random ids cold. False
 * positives happen at about the configured rate; false negatives never, so a key must be {@link #add added} before
 * it can be found (a cache's {@code put} adds its key).
 *
 * <p>Sized by the standard formulas: {@code m = -n ln p / (ln 2)^2} bits and {@code k = m/n ln 2} probes, the
 * probes derived from two 64-bit hashes by double hashing (Kirsch and Mitzenmacher). Thread-safe; adds are lock-free.
 */
public final class BloomFilter {
    private final AtomicLongArray words;
    private final long bits;
    private final int probes;

    private BloomFilter(long bits, int probes) {
        this.words = new AtomicLongArray((int) ((bits + 63) / 64));
        this.bits = words.length() * 64L;
        this.probes = probes;
    }

    /**
     * A filter for about {@code expectedKeys} keys with the given false-positive rate (e.g. 0.01).
     *
     * @throws IllegalArgumentException naming the bad argument
     */
    public static BloomFilter create(long expectedKeys, double falsePositiveRate) {
        if (expectedKeys < 1) {
            throw new IllegalArgumentException("expectedKeys: must be at least 1, was " + expectedKeys);
        }
        if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) {
            throw new IllegalArgumentException("falsePositiveRate: must be between 0 and 1, was " + falsePositiveRate);
        }
        double ln2 = Math.log(2);
        long m = (long) Math.ceil(-expectedKeys * Math.log(falsePositiveRate) / (ln2 * ln2));
        if (m > 64L * Integer.MAX_VALUE) {
            throw new IllegalArgumentException("expectedKeys: too many for one filter, was " + expectedKeys);
        }
        int k = Math.max(1, (int) Math.round((double) m / expectedKeys * ln2));
        return new BloomFilter(Math.max(64, m), k);
    }

    public void add(String key) {
        long h1 = hash(key);
        long h2 = mix(h1 ^ 0x9E3779B97F4A7C15L) | 1;
        for (int i = 1; i <= probes; i++) {
            long bit = Long.remainderUnsigned(h1 + i * h2, bits);
            int word = (int) (bit >>> 6);
            long mask = 1L << bit;
            long old = words.get(word);
            while ((old & mask) == 0 && !words.compareAndSet(word, old, old | mask)) {
                old = words.get(word);
            }
        }
    }

    /** False if {@code key} was certainly never added; true if it probably was. */
    public boolean mightContain(String key) {
        long h1 = hash(key);
        long h2 = mix(h1 ^ 0x9E3779B97F4A7C15L) | 1;
        for (int i = 1; i <= probes; i++) {
            long bit = Long.remainderUnsigned(h1 + i * h2, bits);
            if ((words.get((int) (bit >>> 6)) & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    public long bitCount() {
        return bits;
    }

    public int probeCount() {
        return probes;
    }

    /** FNV-1a over the UTF-16 chars, then MurmurHash3's 64-bit finaliser to spread the bits. */
    private static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
