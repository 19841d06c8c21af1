package dev.weft.http.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class HpackDecoderTest {
    /** One field block of an example: its hex dump, the fields it decodes to, the table after it and its size. */
    record Step(String hex, List<String> fields, List<String> table, int tableSize) {
    }

    static final String DATE_21 = "date: Mon, 21 Oct 2013 20:13:21 GMT";
    static final String DATE_22 = "date: Mon, 21 Oct 2013 20:13:22 GMT";
    static final String COOKIE = "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

    static final List<List<String>> REQUESTS = List.of(
            List.of(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com"),
            List.of(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com",
                    "cache-control: no-cache"),
            List.of(":method: GET", ":scheme: https", ":path: /index.html", ":authority: www.example.com",
                    "custom-key: custom-value"));
    static final List<List<String>> REQUEST_TABLES = List.of(
            List.of(":authority: www.example.com"),
            List.of("cache-control: no-cache", ":authority: www.example.com"),
            List.of("custom-key: custom-value", "cache-control: no-cache", ":authority: www.example.com"));
    static final int[] REQUEST_TABLE_SIZES = {57, 110, 164};

    static final List<List<String>> RESPONSES = List.of(
            List.of(":status: 302", "cache-control: private", DATE_21, "location: https://www.example.com"),
            List.of(":status: 307", "cache-control: private", DATE_21, "location: https://www.example.com"),
            List.of(":status: 200", "cache-control: private", DATE_22, "location: https://www.example.com",
                    "content-encoding: gzip", COOKIE));
    static final List<List<String>> RESPONSE_TABLES = List.of(
            List.of("location: https://www.example.com", DATE_21, "cache-control: private", ":status: 302"),
            List.of(":status: 307", "location: https://www.example.com", DATE_21, "cache-control: private"),
            List.of(COOKIE, "content-encoding: gzip", DATE_22));
    static final int[] RESPONSE_TABLE_SIZES = {222, 222, 215};

    /** The hex dumps of RFC 7541 Appendix C.3 to C.6, in order. */
    static final String[] C3 = {
        "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
        "8286 84be 5808 6e6f 2d63 6163 6865",
        "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
    };
    static final String[] C4 = {
        "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
        "8286 84be 5886 a8eb 1064 9cbf",
        "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
    };
    static final String[] C5 = {
        "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120"
            + " 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
        "4803 3330 37c1 c0bf",
        "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738"
            + " 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765"
            + " 3d33 3630 303b 2076 6572 7369 6f6e 3d31",
    };
    static final String[] C6 = {
        "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718"
            + " 63c7 8f0b 97c8 e9ae 82ae 43d3",
        "4883 640e ffc1 c0bf",
        "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7"
            + " b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
    };

    static Stream<Arguments> appendixC() {
        return Stream.of(
                Arguments.of("C.3 requests without Huffman", 4096, steps(C3, REQUESTS, REQUEST_TABLES,
                        REQUEST_TABLE_SIZES)),
                Arguments.of("C.4 requests with Huffman", 4096, steps(C4, REQUESTS, REQUEST_TABLES,
                        REQUEST_TABLE_SIZES)),
                Arguments.of("C.5 responses without Huffman, evicting", 256, steps(C5, RESPONSES, RESPONSE_TABLES,
                        RESPONSE_TABLE_SIZES)),
                Arguments.of("C.6 responses with Huffman, evicting", 256, steps(C6, RESPONSES, RESPONSE_TABLES,
                        RESPONSE_TABLE_SIZES)));
    }

    private static List<Step> steps(String[] hex, List<List<String>> fields, List<List<String>> tables,
            int[] sizes) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < hex.length; i++) {
            steps.add(new Step(hex[i], fields.get(i), tables.get(i), sizes[i]));
        }
        return steps;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appendixC")
    void decodesTheExamplesOfAppendixC(String name, int tableSize, List<Step> steps) throws ConnectionError {
        HpackDecoder decoder = new HpackDecoder(tableSize, 16_384, 8_192);
        for (Step step : steps) {
            assertEquals(step.fields(), decode(decoder, step.hex()));
            assertEquals(step.table(), entries(decoder.table()));
            assertEquals(step.tableSize(), decoder.table().size());
        }
    }

    /** RFC 7541 Appendix C.2: each representation on its own. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "C.2.1 literal with indexing | 400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"
            + " | custom-key: custom-header | 55",
        "C.2.2 literal without indexing | 040c 2f73 616d 706c 652f 7061 7468 | :path: /sample/path | 0",
        "C.2.3 literal never indexed | 1008 7061 7373 776f 7264 0673 6563 7265 74 | password: secret | 0",
        "C.2.4 indexed | 82 | :method: GET | 0",
    })
    void decodesEachRepresentation(String name, String hex, String field, int tableSize) throws ConnectionError {
        HpackDecoder decoder = new HpackDecoder(4096, 16_384, 8_192);
        assertEquals(List.of(field), decode(decoder, hex));
        assertEquals(tableSize, decoder.table().size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "index 0 | 80 | indexed field with index 0",
        "index past the static table, dynamic table empty | be | index 62 beyond the 61 entries",
        "name index past the tables | 7f 00 00 | index 63 beyond the 61 entries",
        "integer above 2^31-1 | ff ff ff ff ff 0f | integer larger than 2^31-1",
        "integer in 7 octets | ff 80 80 80 80 80 00 | integer encoded in more than 6 octets",
        "block ends inside an integer | ff 80 | the field block ends inside an integer",
        "block ends before a value | 44 | the field block ends before a string literal",
        "string runs past the block | 40 0a 63 | string literal of 10 octets runs past the end",
        "Huffman name with EOS | 40 84 ff ff ff ff 00 | Huffman string contains EOS",
        "Huffman value with 8 bits of padding | 44 81 ff | padded with more than 7 bits",
        "size update after a field | 82 3f e1 1f | dynamic table size update after a field",
        "size update above the setting | 3f e2 1f | size update to 4097 octets, above SETTINGS_HEADER_TABLE_SIZE 4096",
        "string above the limit | 44 09 2f 2f 2f 2f 2f 2f 2f 2f 2f | string literal longer than 8 octets",
        "Huffman string above the limit once decoded | 44 87 00 00 00 00 00 00 ff"
            + " | Huffman string longer than 8 octets when decoded",
    })
    void rejectsMalformedBlocksWithCompressionError(String name, String hex, String message) {
        HpackDecoder decoder = new HpackDecoder(4096, 16_384, 8);
        ConnectionError e = assertThrows(ConnectionError.class, () -> decode(decoder, hex));
        assertEquals(ErrorCode.COMPRESSION_ERROR, e.code());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void appliesSizeUpdatesAtTheStartOfABlock() throws ConnectionError {
        HpackDecoder decoder = new HpackDecoder(4096, 16_384, 8_192);
        decode(decoder, C3[0]);
        decode(decoder, C3[1]);
        assertEquals(2, decoder.table().length());
        // 0, then 110: the table empties, then may grow again (RFC 7541 section 4.2)
        assertEquals(List.of(":method: GET"), decode(decoder, "20 3f 4f 82"));
        assertEquals(0, decoder.table().length());
        assertEquals(110, decoder.table().maxSize());
        decode(decoder, C3[0]);
        assertEquals(List.of(":authority: www.example.com"), entries(decoder.table()), "57 octets fit in 110");
    }

    /** RFC 9113 section 4.3.1: after a reduced SETTINGS_HEADER_TABLE_SIZE is acknowledged. */
    @Test
    void requiresASizeUpdateAfterTheSettingIsReduced() throws ConnectionError {
        HpackDecoder decoder = new HpackDecoder(4096, 16_384, 8_192);
        decode(decoder, C3[0]);
        decoder.setHeaderTableSize(100);
        ConnectionError e = assertThrows(ConnectionError.class, () -> decode(decoder, "82"));
        assertTrue(e.getMessage().contains("does not start with the dynamic table size update"), e.getMessage());

        HpackDecoder fresh = new HpackDecoder(4096, 16_384, 8_192);
        decode(fresh, C3[0]);
        fresh.setHeaderTableSize(100);
        assertThrows(ConnectionError.class, () -> decode(fresh, "3f 46 82"), "101 is above the new setting");
        assertEquals(List.of(":method: GET"), decode(fresh, "3f 45 82")); // 100
        assertEquals(List.of(":method: GET"), decode(fresh, "82"), "required once only");
        assertEquals(100, fresh.table().maxSize());
        assertEquals(List.of(":authority: www.example.com"), entries(fresh.table()), "57 octets fit in 100");
    }

    @Test
    void anIncreaseOfTheSettingRequiresNoUpdate() throws ConnectionError {
        HpackDecoder decoder = new HpackDecoder(4096, 16_384, 8_192);
        decoder.setHeaderTableSize(8192);
        assertEquals(List.of(":method: GET"), decode(decoder, "82"));
        assertEquals(List.of(":method: GET"), decode(decoder, "3f e1 3f 82"), "an update to 8192 is now allowed");
        assertEquals(8192, decoder.table().maxSize());
    }

    @Test
    void deliversAHeaderListUpToTheLimitExactly() throws ConnectionError {
        // :method GET is 7 + 3 + 32 = 42 octets
        HpackDecoder decoder = new HpackDecoder(4096, 84, 8_192);
        List<String> fields = new ArrayList<>();
        assertTrue(decoder.decode(Hex.bytes("8282"), 0, 2, (n, v) -> fields.add(n)));
        assertEquals(2, fields.size());
        assertFalse(decoder.decode(Hex.bytes("828282"), 0, 3, (n, v) -> fields.add(n)));
        assertEquals(4, fields.size(), "the third field crossed the limit and was not delivered");
    }

    /**
     * An HPACK bomb: a 4,000-octet entry, then 16,000 one-octet references to it, 64 MB of header list. Decoding
     * delivers the four that fit in 16 KiB, reads the rest without keeping anything, and leaves the table usable.
     */
    @Test
    void stopsDeliveringAnHpackBombButKeepsTheTableInStep() throws ConnectionError {
        HpackDecoder decoder = new HpackDecoder(4096, 16_384, 8_192);
        FieldBlock insert = new FieldBlock(4100);
        insert.writeInteger(0x40, 6, 0);
        insert.writeString("x");
        insert.writeString("a".repeat(4000));
        assertTrue(decoder.decode(insert.array(), 0, insert.length(), (n, v) -> { }));
        byte[] bomb = new byte[16_000];
        java.util.Arrays.fill(bomb, (byte) 0xbe);
        int[] delivered = new int[1];
        assertFalse(decoder.decode(bomb, 0, bomb.length, (n, v) -> delivered[0]++));
        assertEquals(4, delivered[0]);
        List<String> next = decode(decoder, "82 be");
        assertEquals(List.of(":method: GET", "x: " + "a".repeat(4000)), next, "still index 62");
    }

    @Test
    void literalsWithoutIndexingLeaveTheTableAlone() throws ConnectionError {
        HpackDecoder decoder = new HpackDecoder(4096, 16_384, 8_192);
        decode(decoder, "040c 2f73 616d 706c 652f 7061 7468"); // without indexing
        decode(decoder, "1008 7061 7373 776f 7264 0673 6563 7265 74"); // never indexed
        assertEquals(0, decoder.table().length());
    }

    @Test
    void fieldsFromTheTablesAreTheSameStrings() throws ConnectionError {
        HpackDecoder decoder = new HpackDecoder(4096, 16_384, 8_192);
        List<String> values = new ArrayList<>();
        FieldSink sink = (n, v) -> values.add(v);
        decoder.decode(Hex.bytes(C4[0]), 0, Hex.bytes(C4[0]).length, sink);
        decoder.decode(Hex.bytes(C4[1]), 0, Hex.bytes(C4[1]).length, sink);
        assertSame(values.get(3), values.get(7), ":authority from the dynamic table allocates nothing");
    }

    static List<String> decode(HpackDecoder decoder, String hex) throws ConnectionError {
        byte[] block = Hex.bytes(hex);
        List<String> fields = new ArrayList<>();
        decoder.decode(block, 0, block.length, (name, value) -> fields.add(name + ": " + value));
        return fields;
    }

    static List<String> entries(DynamicTable table) {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < table.length(); i++) {
            entries.add(table.name(i) + ": " + table.value(i));
        }
        return entries;
    }
}
