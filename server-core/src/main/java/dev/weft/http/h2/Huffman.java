package dev.weft.http.h2;

/**
 * The Huffman code of HPACK (RFC 7541 section 5.2 and Appendix B): encoding, and a decoder that rejects every
 * malformed input section 5.2 names.
 *
 * <p>The code is canonical: within one length, codes increase with the symbol, and each length's first code follows
 * the previous length's last. So the table below holds only the 257 code lengths of Appendix B; the codes are derived
 * from them when the class loads ({@code HuffmanTest} checks codes of Appendix B and every example of Appendix C).
 *
 * <p>Decoding uses a state table built when the class is first used (on the first HTTP/2 request, not at start-up):
 * a state is an internal node of the code tree (257 leaves make 256 internal nodes), and the table gives, for each
 * state and each 4-bit nibble, the next state, the symbol completed on the way (at most one: the shortest code has
 * 5 bits) and whether the bits consumed since the last symbol are a valid end (at most 7 bits, all ones: a prefix of
 * EOS). Two look-ups per input octet instead of eight steps down the tree, in a table of 4,112 ints (16 KiB, within
 * the level-1 data cache). Measured on a 101-character user-agent (78 octets encoded), on this project's shared
 * 2-core machine: 2.7 times the speed of a walk down the tree bit by bit (320 against 880 ns, best of 400 rounds;
 * {@code HpackBenchmark}: 373 against 1,209 ns/op at a load average of 5). A byte-wise table (257 states by 256
 * octets, up to two symbols an entry) was 1.5 times faster again (215 ns), but it is 263 KB, sixteen times the size,
 * so it lives in the level-2 cache and competes with the rest of the request path, and it took 10 ms more to build;
 * on the 7-octet {@code :path} h2load sends with each request, the difference is about 10 ns.
 *
 * <p>Strings are Latin-1: each char is one octet (its low 8 bits), as elsewhere in this server's codecs.
 */
final class Huffman {
    /** The code length of each symbol, 0 to 255 and EOS (256), from RFC 7541 Appendix B. */
    private static final byte[] LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
        30,
    };
    static final int EOS = 256;
    /** The code of each symbol, right-aligned in {@code LENGTHS[symbol]} bits. */
    private static final int[] CODES = new int[257];

    /**
     * The decoding table: for state {@code s} and nibble {@code x}, entry {@code DECODE[s << 4 | x]} holds the next
     * state already shifted left by 4 (bits 0-12, so that the next index is a mask and an or), the symbol completed
     * (bits 16-23) when {@link #EMIT} is set, and {@link #ACCEPT} when the bits since the last symbol are a valid
     * padding. State 256 is where EOS leads: it never leaves, emits or accepts, so the loop needs no test for it.
     */
    private static final int[] DECODE = new int[257 * 16];
    private static final int STATE = 0x1FF0;
    private static final int EMIT = 1 << 24;
    private static final int ACCEPT = 1 << 25;
    private static final int DEAD = 256;
    /** For each state: how many 1 bits lead to it from the root, or -1 when a 0 bit does. For error messages. */
    private static final byte[] ONES = new byte[257];

    static {
        assignCanonicalCodes();
        buildDecodeTable();
    }

    private Huffman() {
    }

    private static void assignCanonicalCodes() {
        int code = 0;
        int previousLength = 0;
        boolean first = true;
        for (int length = 1; length <= 30; length++) {
            for (int symbol = 0; symbol <= EOS; symbol++) {
                if (LENGTHS[symbol] != length) {
                    continue;
                }
                if (!first) {
                    code = (code + 1) << (length - previousLength);
                }
                first = false;
                previousLength = length;
                CODES[symbol] = code;
            }
        }
    }

    private static void buildDecodeTable() {
        // children[node][bit]: >= 0 an internal node, < 0 the leaf of symbol -child - 1
        int[][] children = new int[256][2];
        int nodes = 1;
        for (int symbol = 0; symbol <= EOS; symbol++) {
            int node = 0;
            for (int bit = LENGTHS[symbol] - 1; bit > 0; bit--) {
                int b = (CODES[symbol] >>> bit) & 1;
                if (children[node][b] == 0) {
                    children[node][b] = nodes++;
                }
                node = children[node][b];
            }
            children[node][CODES[symbol] & 1] = -symbol - 1;
        }
        java.util.Arrays.fill(ONES, (byte) -1);
        ONES[0] = 0;
        for (int node = 0, depth = 0; node >= 0 && depth < 30; depth++) {
            ONES[node] = (byte) depth;
            node = children[node][1];
        }
        for (int state = 0; state < 256; state++) {
            for (int nibble = 0; nibble < 16; nibble++) {
                int node = state;
                int entry = 0;
                for (int bit = 3; bit >= 0 && node != DEAD; bit--) {
                    int child = children[node][(nibble >>> bit) & 1];
                    if (child >= 0) {
                        node = child;
                    } else if (-child - 1 == EOS) {
                        node = DEAD;
                    } else {
                        entry = EMIT | (-child - 1) << 16;
                        node = 0;
                    }
                }
                if (node != DEAD && ONES[node] >= 0 && ONES[node] <= 7) {
                    entry |= ACCEPT;
                }
                DECODE[state << 4 | nibble] = entry | node << 4;
            }
        }
        for (int nibble = 0; nibble < 16; nibble++) {
            DECODE[DEAD << 4 | nibble] = DEAD << 4;
        }
    }

    /** The code of {@code symbol} (0 to 256), right-aligned. */
    static int code(int symbol) {
        return CODES[symbol];
    }

    /** The length in bits of the code of {@code symbol} (0 to 256). */
    static int codeLength(int symbol) {
        return LENGTHS[symbol];
    }

    /** The number of octets {@link #encode} writes for {@code s}. */
    static int encodedLength(String s) {
        long bits = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            bits += LENGTHS[s.charAt(i) & 0xFF];
        }
        return (int) ((bits + 7) >>> 3);
    }

    /**
     * Writes the Huffman encoding of {@code s} at {@code dst[at]}, the last octet padded with the most significant
     * bits of EOS (all ones); returns the index after it. The caller provides {@link #encodedLength} octets of room.
     */
    static int encode(String s, byte[] dst, int at) {
        long bits = 0;
        int count = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            int c = s.charAt(i) & 0xFF;
            int length = LENGTHS[c];
            bits = bits << length | CODES[c];
            count += length;
            while (count >= 8) {
                count -= 8;
                dst[at++] = (byte) (bits >>> count);
            }
        }
        if (count > 0) {
            dst[at++] = (byte) (bits << (8 - count) | 0xFF >>> count);
        }
        return at;
    }

    /**
     * Decodes the Huffman-encoded {@code src[from, to)} into {@code dst} from index 0 and returns the number of octets
     * decoded. {@code dst} must hold {@code min(maxLength, (to - from) * 8 / 5)} octets.
     *
     * @throws ConnectionError COMPRESSION_ERROR (RFC 9113 section 4.3) when the string contains EOS, when its padding
     *                         is longer than 7 bits or not the most significant bits of EOS (RFC 7541 section 5.2),
     *                         or when it decodes to more than {@code maxLength} octets
     */
    static int decode(byte[] src, int from, int to, byte[] dst, int maxLength) throws ConnectionError {
        int entry = ACCEPT;
        int n = 0;
        for (int i = from; i < to; i++) {
            int b = src[i];
            entry = DECODE[entry & STATE | b >>> 4 & 0xF];
            if ((entry & EMIT) != 0) {
                if (n == maxLength) {
                    throw tooLong(maxLength);
                }
                dst[n++] = (byte) (entry >>> 16);
            }
            entry = DECODE[entry & STATE | b & 0xF];
            if ((entry & EMIT) != 0) {
                if (n == maxLength) {
                    throw tooLong(maxLength);
                }
                dst[n++] = (byte) (entry >>> 16);
            }
        }
        if ((entry & ACCEPT) == 0) {
            int state = (entry & STATE) >>> 4;
            throw new ConnectionError(ErrorCode.COMPRESSION_ERROR, state == DEAD ? "Huffman string contains EOS"
                    : ONES[state] > 7 ? "Huffman string padded with more than 7 bits"
                    : "Huffman string ends in an incomplete code that is not the EOS prefix");
        }
        return n;
    }

    private static ConnectionError tooLong(int maxLength) {
        return new ConnectionError(ErrorCode.COMPRESSION_ERROR,
                "Huffman string longer than " + maxLength + " octets when decoded");
    }
}
