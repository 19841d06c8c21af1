package dev.weft.cache.codec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.cache.Entry;

/**
 * The bytes of one entry in Redis: a one-byte kind ({@code 'V'} value, {@code 'N'} null marker), the fresh-until
 * instant (8 bytes, epoch ms, big-endian), the compute time (4 bytes, ms), then the value codec's bytes. Keeping the
 * metadata in the value lets a single {@code GET} answer everything a read needs (no {@code PTTL} round trip), at
 * the price of trusting the nodes' clocks to agree within a small fraction of the TTL.
 */
public final class EntryFormat<V> {
    private static final byte VALUE = 'V';
    private static final byte NULL = 'N';
    private static final int HEADER = 1 + 8 + 4;

    private static final Logger log = LoggerFactory.getLogger(EntryFormat.class);

    private final ValueCodec<V> codec;
    private volatile boolean warned;

    public EntryFormat(ValueCodec<V> codec) {
        this.codec = codec;
    }

    public byte[] encode(Entry<V> entry) {
        byte[] payload = entry.isNull() ? new byte[0] : codec.encode(entry.value());
        byte[] out = new byte[HEADER + payload.length];
        out[0] = entry.isNull() ? NULL : VALUE;
        putLong(out, 1, entry.freshUntil());
        putInt(out, 9, entry.computeMillis());
        System.arraycopy(payload, 0, out, HEADER, payload.length);
        return out;
    }

    /**
     * Reads an entry; a malformed one (another format, a truncated write, a value the codec cannot read because its
     * class changed without a version bump) reads as {@code null}, i.e. a miss, so a bad entry is reloaded and
     * overwritten rather than failing requests. The first codec failure is logged.
     */
    public Entry<V> decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER || (bytes[0] != VALUE && bytes[0] != NULL)) {
            return null;
        }
        long freshUntil = getLong(bytes, 1);
        int computeMillis = getInt(bytes, 9);
        V value = null;
        if (bytes[0] == VALUE) {
            try {
                value = codec.decode(bytes, HEADER, bytes.length - HEADER);
            } catch (RuntimeException e) {
                if (!warned) {
                    warned = true;
                    log.warn("A cached value cannot be decoded; treating it as a miss (bump the cache's version when "
                            + "the value's format changes): {}", e.toString());
                }
                return null;
            }
        }
        return new Entry<>(value, freshUntil, computeMillis);
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 3; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    private static int getInt(byte[] b, int at) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }
}
