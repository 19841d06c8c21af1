package dev.weft.http.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HpackEncoderTest {
    private final HpackEncoder encoder = new HpackEncoder(4096);
    private final HpackDecoder decoder = new HpackDecoder(4096, 1 << 20, 1 << 16);
    private final FieldBlock out = new FieldBlock(256);

    private String response(HpackEncoder e, int status, String... fields) {
        out.clear();
        e.startResponse(status, out);
        for (String f : fields) {
            int colon = f.indexOf(": ");
            e.encodeField(f.substring(0, colon), f.substring(colon + 2), out);
        }
        return Hex.of(out.array(), 0, out.length());
    }

    private List<String> decoded() throws ConnectionError {
        return HpackDecoderTest.decode(decoder, Hex.of(out.array(), 0, out.length()));
    }

    /**
     * The responses of RFC 7541 Appendix C.6 (Huffman, a 256-octet table), with the departures the encoder makes on
     * purpose: its first block announces the 256-octet table ({@code 3fe101}), a string whose Huffman code is no
     * shorter goes as its octets ({@code 307}: 3 octets either way, so the second block is C.5.2's), and set-cookie
     * is never indexed ({@code 1f28} instead of {@code 77}).
     */
    @Test
    void encodesTheResponsesOfAppendixC6() {
        HpackEncoder small = new HpackEncoder(256);
        String location = "location: https://www.example.com";
        assertEquals("3fe101" + hex(HpackDecoderTest.C6[0]), response(small, 302, "cache-control: private",
                HpackDecoderTest.DATE_21, location));
        assertEquals(hex(HpackDecoderTest.C5[1]), response(small, 307, "cache-control: private",
                HpackDecoderTest.DATE_21, location));
        assertEquals(hex(HpackDecoderTest.C6[2]).replace("c05a839bd9ab77ad", "c05a839bd9ab1f28ad"),
                response(small, 200, "cache-control: private", HpackDecoderTest.DATE_22, location,
                        "content-encoding: gzip", HpackDecoderTest.COOKIE));
        assertEquals(List.of("content-encoding: gzip", HpackDecoderTest.DATE_22, ":status: 307",
                location), HpackDecoderTest.entries(small.table()));
    }

    @Test
    void sendsARepeatedResponseHeadAsIndexes() throws ConnectionError {
        String first = response(encoder, 200, "Content-Type: text/plain", "Content-Length: 13", "Server: weft");
        assertEquals(List.of(":status: 200", "content-type: text/plain", "content-length: 13", "server: weft"),
                decoded());
        String second = response(encoder, 200, "Content-Type: text/plain", "Content-Length: 13", "Server: weft");
        assertEquals(List.of(":status: 200", "content-type: text/plain", "content-length: 13", "server: weft"),
                decoded());
        // :status 200 (static 8), content-type (dynamic 63), content-length as a literal without indexing (name
        // static 28, "13" as its octets: Huffman is no shorter), server (dynamic 62)
        assertEquals("88" + "bf" + "0f0d023133" + "be", second);
        assertTrue(second.length() < first.length() / 2, first + " then " + second);
        assertEquals(HpackDecoderTest.entries(encoder.table()), HpackDecoderTest.entries(decoder.table()));
    }

    @Test
    void lowersNamesAndLeavesOutConnectionSpecificFields() throws ConnectionError {
        response(encoder, 204, "X-Trace: abc", "Connection: close", "Keep-Alive: timeout=5",
                "Transfer-Encoding: chunked", "Upgrade: h2c", "Proxy-Connection: close", "Vary: accept");
        assertEquals(List.of(":status: 204", "x-trace: abc", "vary: accept"), decoded());
        response(encoder, 204, "x-TRACE: abc");
        assertEquals(List.of(":status: 204", "x-trace: abc"), decoded(), "found in the table, case aside");
        assertEquals(2, decoder.table().length(), "x-trace and vary, nothing more");
    }

    @Test
    void fieldsThatChangeWithEveryResponseAreNotIndexed() throws ConnectionError {
        response(encoder, 200, "X-Request-Id: abc", "ETag: \"v1\"", "Last-Modified: Sun, 06 Dec 2026 05:00:00 GMT",
                "Age: 3", "Content-Length: 5");
        assertEquals(0, decoder.table().length(), "each value is new with the next response: nothing indexed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"authorization", "Proxy-Authorization", "cookie", "Set-Cookie"})
    void neverIndexesSensitiveFields(String name) throws ConnectionError {
        response(encoder, 200, name + ": secret-token-value");
        String block = Hex.of(out.array(), 0, out.length());
        assertTrue(block.startsWith("88" + "1f"), "0001 pattern, name by index: " + block);
        assertEquals(List.of(":status: 200", name.toLowerCase() + ": secret-token-value"), decoded());
        assertEquals(0, encoder.table().length());
        response(encoder, 200, name + ": secret-token-value");
        assertTrue(Hex.of(out.array(), 0, out.length()).startsWith("88" + "1f"), "still a literal");
    }

    @Test
    void indexesStatusesOutsideTheStaticTable() throws ConnectionError {
        assertEquals("48" + "82" + "6402", response(encoder, 302)); // literal, name :status, Huffman "302"
        assertEquals(List.of(":status: 302"), decoded());
        assertEquals("be", response(encoder, 302));
        assertEquals(List.of(":status: 302"), decoded());
        assertThrows(IllegalArgumentException.class, () -> response(encoder, 1000));
    }

    @Test
    void signalsTableSizeChangesAtTheStartOfTheNextBlock() throws ConnectionError {
        response(encoder, 200, "server: weft");
        decoded();
        encoder.setPeerHeaderTableSize(0);
        encoder.setPeerHeaderTableSize(4096);
        decoder.setHeaderTableSize(0);
        decoder.setHeaderTableSize(4096);
        // the smallest size since the last block, then the final one (RFC 7541 section 4.2)
        assertTrue(response(encoder, 200, "server: weft").startsWith("20" + "3fe11f"));
        assertEquals(List.of(":status: 200", "server: weft"), decoded());
        assertEquals(HpackDecoderTest.entries(encoder.table()), HpackDecoderTest.entries(decoder.table()));

        encoder.setPeerHeaderTableSize(256);
        decoder.setHeaderTableSize(256);
        assertTrue(response(encoder, 200).startsWith("3fe101"), "256 alone");
        decoded();
        assertEquals(256, decoder.table().maxSize());

        encoder.setPeerHeaderTableSize(256);
        assertEquals("88", response(encoder, 200), "no change, no update");
    }

    @Test
    void keepsItsTableWithinItsOwnMaximum() {
        encoder.setPeerHeaderTableSize(1 << 20);
        assertEquals("88", response(encoder, 200), "4096 already, whatever the peer allows");
        assertEquals(4096, encoder.table().maxSize());
        HpackEncoder none = new HpackEncoder(0);
        // a size update to 0, then a literal without indexing: the entry would not fit in the table
        assertTrue(response(none, 200, "server: weft").startsWith("20" + "88" + "0f27" + "83"));
        assertEquals("88", response(none, 200), "announced once");
        assertEquals(0, none.table().length());
    }

    @Test
    void encodesTrailers() throws ConnectionError {
        out.clear();
        encoder.startTrailers(out);
        encoder.encodeField("Grpc-Status", "0", out);
        assertEquals(List.of("grpc-status: 0"), decoded());
    }

    private static String hex(String spaced) {
        return spaced.replace(" ", "");
    }
}
