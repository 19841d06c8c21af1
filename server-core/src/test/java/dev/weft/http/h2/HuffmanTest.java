package dev.weft.http.h2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.weft.testkit.Seeds;

class HuffmanTest {
    /** Codes of RFC 7541 Appendix B, from each end of the table and each code length; the rest follow canonically. */
    @ParameterizedTest(name = "symbol {0}")
    @CsvSource({
        "0, 1ff8, 13", "1, 7fffd8, 23", "9, ffffea, 24", "10, 3ffffffc, 30", "22, 3ffffffe, 30",
        "32, 14, 6", "33, 3f8, 10", "35, ffa, 12", "38, f8, 8", "39, 7fa, 11", "48, 0, 5", "50, 2, 5",
        "58, 5c, 7", "60, 7ffc, 15", "92, 7fff0, 19", "94, 3ffc, 14", "97, 3, 5", "116, 9, 5", "126, 1ffd, 13",
        "127, ffffffc, 28", "128, fffe6, 20", "153, 1fffdc, 21", "129, 3fffd2, 22", "199, 1ffffec, 25",
        "192, 3ffffe0, 26", "203, 7ffffde, 27", "249, ffffffe, 28", "255, 3ffffee, 26", "256, 3fffffff, 30",
    })
    void derivesTheCodesOfAppendixB(int symbol, String code, int length) {
        assertEquals(Integer.parseInt(code, 16), Huffman.code(symbol));
        assertEquals(length, Huffman.codeLength(symbol));
    }

    @Test
    void isACompletePrefixCode() {
        long kraft = 0;
        for (int symbol = 0; symbol <= Huffman.EOS; symbol++) {
            kraft += 1L << (30 - Huffman.codeLength(symbol));
        }
        assertEquals(1L << 30, kraft, "the code lengths of a complete prefix code sum to 1 as 2^-length");
    }

    /** Every Huffman-encoded string of RFC 7541 Appendix C.4 and C.6. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "www.example.com | f1e3 c2e5 f23a 6ba0 ab90 f4ff",
        "no-cache | a8eb 1064 9cbf",
        "custom-key | 25a8 49e9 5ba9 7d7f",
        "custom-value | 25a8 49e9 5bb8 e8b4 bf",
        "302 | 6402",
        "private | aec3 771a 4b",
        "Mon, 21 Oct 2013 20:13:21 GMT | d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff",
        "https://www.example.com | 9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3",
        "307 | 640e ff",
        "Mon, 21 Oct 2013 20:13:22 GMT | d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff",
        "gzip | 9bd9 ab",
        "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1 | 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af"
            + " 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
    })
    void encodesAndDecodesTheExamplesOfAppendixC(String text, String hex) throws ConnectionError {
        byte[] expected = Hex.bytes(hex);
        assertEquals(expected.length, Huffman.encodedLength(text));
        byte[] encoded = new byte[expected.length];
        assertEquals(expected.length, Huffman.encode(text, encoded, 0));
        assertArrayEquals(expected, encoded);
        assertEquals(text, decode(expected, 1000));
    }

    @Test
    void roundTripsEveryOctet() throws ConnectionError {
        for (int c = 0; c < 256; c++) {
            String s = String.valueOf((char) c).repeat(3);
            byte[] encoded = new byte[Huffman.encodedLength(s)];
            Huffman.encode(s, encoded, 0);
            assertEquals(s, decode(encoded, 100), "octet " + c);
        }
    }

    @Test
    void roundTripsRandomStrings() throws ConnectionError {
        Random random = new Random(Seeds.seed("HuffmanTest.roundTripsRandomStrings"));
        for (int i = 0; i < 20_000; i++) {
            char[] chars = new char[random.nextInt(40)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = (char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(256));
            }
            String s = new String(chars);
            byte[] encoded = new byte[Huffman.encodedLength(s) + 2];
            int end = Huffman.encode(s, encoded, 1);
            assertEquals(1 + Huffman.encodedLength(s), end);
            byte[] out = new byte[chars.length];
            int n = Huffman.decode(encoded, 1, end, out, chars.length);
            assertEquals(s, new String(out, 0, n, StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * The state table must accept and reject exactly what the bit-by-bit decoder does, on random input: most of it
     * invalid (EOS inside, bad padding), the rest the encodings of random strings with a random last octet.
     */
    @Test
    void agreesWithTheBitByBitDecoderOnRandomInput() {
        Random random = new Random(Seeds.seed("HuffmanTest.agreesWithTheBitByBitDecoderOnRandomInput"));
        int accepted = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] input;
            if (random.nextBoolean()) {
                input = new byte[random.nextInt(12)];
                random.nextBytes(input);
            } else {
                char[] chars = new char[1 + random.nextInt(10)];
                for (int j = 0; j < chars.length; j++) {
                    chars[j] = (char) random.nextInt(256);
                }
                String s = new String(chars);
                input = new byte[Huffman.encodedLength(s)];
                Huffman.encode(s, input, 0);
                if (random.nextInt(4) == 0) {
                    input[input.length - 1] ^= (byte) (1 << random.nextInt(8));
                }
            }
            byte[] expected = HuffmanReference.decode(input, 0, input.length);
            byte[] out = new byte[input.length * 8 / 5];
            try {
                int n = Huffman.decode(input, 0, input.length, out, out.length);
                assertArrayEquals(expected, java.util.Arrays.copyOf(out, n), Hex.of(input));
                accepted++;
            } catch (ConnectionError e) {
                assertNull(expected, "rejected " + Hex.of(input) + ": " + e.getMessage());
                assertEquals(ErrorCode.COMPRESSION_ERROR, e.code());
            }
        }
        assertEquals(true, accepted > 20_000, "too few valid inputs to mean anything: " + accepted);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // 30 one bits are EOS, which a string must not contain (RFC 7541 section 5.2)
        "EOS alone | ffff fffc | contains EOS",
        "EOS after 'a' | 1fff ffff ff | contains EOS",
        // 'a' is 00011; 11 ones of padding are more than 7
        "padding of 11 bits | 1fff | more than 7 bits",
        "a whole octet of padding | ff | more than 7 bits",
        // 'a' then 000: padding that is not the most significant bits of EOS
        "padding of zeros | 18 | not the EOS prefix",
        // 'a' then 100, the first 3 bits of 'b' (100011): an incomplete code that is not all ones
        "a truncated code | 1c | not the EOS prefix",
    })
    void rejectsMalformedStrings(String name, String hex, String message) {
        ConnectionError e = assertThrows(ConnectionError.class, () -> decode(Hex.bytes(hex), 100));
        assertEquals(ErrorCode.COMPRESSION_ERROR, e.code());
        assertEquals(true, e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void acceptsTheEmptyStringAndPaddingOfUpToSevenBits() throws ConnectionError {
        assertEquals("", decode(new byte[0], 10));
        assertEquals("0", decode(Hex.bytes("07"), 10)); // '0' is 00000, then 3 ones
        assertEquals("a", decode(Hex.bytes("1f"), 10)); // 'a' is 00011, then 3 ones
        assertEquals("0ee", decode(Hex.bytes("014b"), 10)); // 00000 00101 00101, then 1
    }

    @Test
    void limitsTheDecodedLength() throws ConnectionError {
        byte[] encoded = new byte[Huffman.encodedLength("0000000000")];
        Huffman.encode("0000000000", encoded, 0);
        assertEquals("0000000000", decode(encoded, 10));
        ConnectionError e = assertThrows(ConnectionError.class, () -> decode(encoded, 9));
        assertEquals("Huffman string longer than 9 octets when decoded", e.getMessage());
    }

    private static String decode(byte[] encoded, int maxLength) throws ConnectionError {
        byte[] out = new byte[Math.min(maxLength, encoded.length * 8 / 5)];
        int n = Huffman.decode(encoded, 0, encoded.length, out, maxLength);
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }
}
