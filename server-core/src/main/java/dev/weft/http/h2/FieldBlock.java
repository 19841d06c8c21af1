package dev.weft.http.h2;

import java.util.Arrays;

/**
 * An encoded field block under construction (RFC 9113 section 4.3): a growable byte array with the HPACK primitive
 * writers, integers with an N-bit prefix (RFC 7541 section 5.1) and string literals (section 5.2). The encoder writes
 * one block at a time into it; the frame writer then cuts it into a HEADERS frame and CONTINUATION frames. One per
 * connection, reused after {@link #clear()}.
 */
public final class FieldBlock {
    private byte[] bytes;
    private int length;

    public FieldBlock(int capacity) {
        bytes = new byte[Math.max(capacity, 16)];
    }

    /** The array holding the block in {@code [0, length())}; valid until the next write. */
    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    public void clear() {
        length = 0;
    }

    /** A copy of the block. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /**
     * Writes {@code value} as an integer with a {@code prefixBits}-bit prefix (1 to 8), the first octet's remaining
     * high bits set to {@code pattern} (RFC 7541 section 5.1).
     */
    public void writeInteger(int pattern, int prefixBits, long value) {
        ensure(11);
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            bytes[length++] = (byte) (pattern | value);
            return;
        }
        bytes[length++] = (byte) (pattern | max);
        value -= max;
        while (value >= 128) {
            bytes[length++] = (byte) (value & 0x7F | 0x80);
            value >>>= 7;
        }
        bytes[length++] = (byte) value;
    }

    /**
     * Writes {@code s} as a string literal (RFC 7541 section 5.2): Huffman-encoded when that is shorter, else as its
     * octets, which cost the peer nothing to decode.
     */
    public void writeString(String s) {
        int raw = s.length();
        int coded = Huffman.encodedLength(s);
        if (coded < raw) {
            writeInteger(0x80, 7, coded);
            ensure(coded);
            length = Huffman.encode(s, bytes, length);
        } else {
            writeInteger(0, 7, raw);
            ensure(raw);
            for (int i = 0; i < raw; i++) {
                bytes[length + i] = (byte) s.charAt(i);
            }
            length += raw;
        }
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
