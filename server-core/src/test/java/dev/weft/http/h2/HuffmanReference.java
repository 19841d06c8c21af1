package dev.weft.http.h2;

import java.util.Arrays;

/**
 * The obvious Huffman decoder: a walk down the code tree one bit at a time, the tree built from the codes alone,
 * independently of {@link Huffman}'s state table. The oracle of {@code HuffmanTest} and the baseline of
 * {@code HpackBenchmark}. Returns null where RFC 7541 section 5.2 requires a decoding error.
 */
final class HuffmanReference {
    /** {@code CHILDREN[node * 2 + bit]}: an internal node (> 0), or the leaf of symbol -child - 1. */
    private static final int[] CHILDREN = new int[512];

    static {
        int nodes = 1;
        for (int symbol = 0; symbol <= Huffman.EOS; symbol++) {
            int node = 0;
            int code = Huffman.code(symbol);
            for (int bit = Huffman.codeLength(symbol) - 1; bit > 0; bit--) {
                int b = code >>> bit & 1;
                if (CHILDREN[node * 2 + b] == 0) {
                    CHILDREN[node * 2 + b] = nodes++;
                }
                node = CHILDREN[node * 2 + b];
            }
            CHILDREN[node * 2 + (code & 1)] = -symbol - 1;
        }
    }

    private HuffmanReference() {
    }

    static byte[] decode(byte[] src, int from, int to) {
        byte[] out = new byte[(to - from) * 8 / 5];
        int n = decode(src, from, to, out);
        return n < 0 ? null : Arrays.copyOf(out, n);
    }

    /** Decodes into {@code out}, which holds {@code (to - from) * 8 / 5} octets; returns their number, or -1. */
    static int decode(byte[] src, int from, int to, byte[] out) {
        int n = 0;
        int node = 0;
        int depth = 0;
        boolean allOnes = true;
        for (int i = from; i < to; i++) {
            for (int bit = 7; bit >= 0; bit--) {
                int b = src[i] >>> bit & 1;
                int child = CHILDREN[node * 2 + b];
                depth++;
                allOnes &= b == 1;
                if (child > 0) {
                    node = child;
                    continue;
                }
                int symbol = -child - 1;
                if (symbol == Huffman.EOS) {
                    return -1;
                }
                out[n++] = (byte) symbol;
                node = 0;
                depth = 0;
                allOnes = true;
            }
        }
        return depth <= 7 && allOnes ? n : -1;
    }
}
