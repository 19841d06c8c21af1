package dev.weft.http.h2;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The obvious Huffman decoder, one bit at a time through a map of (length, code) to symbol, built independently of
 * {@link Huffman}'s state table: the oracle of {@code HuffmanTest} and the baseline of {@code HpackBenchmark}. Returns
 * null where RFC 7541 section 5.2 requires a decoding error.
 */
final class HuffmanReference {
    private static final Map<Long, Integer> SYMBOLS = new HashMap<>();

    static {
        for (int symbol = 0; symbol <= Huffman.EOS; symbol++) {
            SYMBOLS.put(key(Huffman.codeLength(symbol), Huffman.code(symbol)), symbol);
        }
    }

    private HuffmanReference() {
    }

    private static long key(int length, int code) {
        return (long) length << 32 | code;
    }

    static byte[] decode(byte[] src, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = 0;
        int length = 0;
        for (int i = from; i < to; i++) {
            for (int bit = 7; bit >= 0; bit--) {
                code = code << 1 | (src[i] >>> bit & 1);
                length++;
                Integer symbol = SYMBOLS.get(key(length, code));
                if (symbol != null) {
                    if (symbol == Huffman.EOS) {
                        return null;
                    }
                    out.write(symbol);
                    code = 0;
                    length = 0;
                }
            }
        }
        boolean padding = length <= 7 && code == (1 << length) - 1;
        return padding ? out.toByteArray() : null;
    }
}
