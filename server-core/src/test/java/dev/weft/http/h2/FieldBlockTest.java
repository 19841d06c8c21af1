package dev.weft.http.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldBlockTest {
    /** RFC 7541 Appendix C.1, then the edges of a prefix and the largest value the decoder accepts. */
    @ParameterizedTest(name = "{2} with a {1}-bit prefix")
    @CsvSource({
        "0x00, 5, 10, 0a", // C.1.1
        "0x00, 5, 1337, 1f9a0a", // C.1.2
        "0x00, 8, 42, 2a", // C.1.3
        "0x20, 5, 30, 3e",
        "0x20, 5, 31, 3f00",
        "0x80, 7, 127, ff00",
        "0x80, 7, 128, ff01",
        "0x80, 7, 2147483647, ff80ffffff07",
    })
    void writesIntegersAsSection51Says(String pattern, int prefix, long value, String hex) {
        FieldBlock block = new FieldBlock(4);
        block.writeInteger(Integer.decode(pattern), prefix, value);
        assertEquals(hex, Hex.of(block.toByteArray()));
    }

    @Test
    void theDecoderReadsTheIntegersOfAppendixC1() throws ConnectionError {
        HpackDecoder decoder = new HpackDecoder(4096, 16_384, 8_192);
        assertEquals(List.of(), HpackDecoderTest.decode(decoder, "3f 9a 0a")); // a size update to 1337
        assertEquals(1337, decoder.table().maxSize());
        FieldBlock largest = new FieldBlock(8);
        largest.writeInteger(0x80, 7, Integer.MAX_VALUE);
        ConnectionError e = org.junit.jupiter.api.Assertions.assertThrows(ConnectionError.class,
                () -> HpackDecoderTest.decode(decoder, Hex.of(largest.toByteArray())));
        assertEquals("index 2147483647 beyond the 61 entries of the static and dynamic tables", e.getMessage(),
                "2^31-1 is read, then found beyond the tables");
    }

    @Test
    void writesTheShorterFormOfAString() {
        FieldBlock block = new FieldBlock(4);
        block.writeString("www.example.com"); // 12 octets in Huffman, 15 as they are
        block.writeString("307"); // 3 octets either way: as they are
        block.writeString("");
        assertEquals("8cf1e3c2e5f23a6ba0ab90f4ff" + "03333037" + "00", Hex.of(block.toByteArray()));
        block.clear();
        assertEquals(0, block.length());
    }
}
