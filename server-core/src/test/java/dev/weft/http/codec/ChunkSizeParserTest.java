package dev.weft.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkSizeParserTest {
    private final ChunkSizeParser parser = new ChunkSizeParser();

    private int parse(String s) throws ParseException {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return parser.parse(b, 0, b.length);
    }

    @Test
    void parsesSizesAndExtensions() throws ParseException {
        assertEquals(4, parse("1a\r\n"));
        assertEquals(0x1a, parser.size());
        assertEquals(3, parse("0\r\n"));
        assertEquals(0, parser.size());
        assertEquals(20, parse("FFff;name=\"va;lue\"\r\n"));
        assertEquals(0xffff, parser.size());
        assertEquals(10, parse("10 ; a=b\r\nxyz"));
        assertEquals(16, parser.size());
    }

    @Test
    void waitsForTheWholeLine() throws ParseException {
        assertEquals(RequestHeadParser.INCOMPLETE, parse(""));
        assertEquals(RequestHeadParser.INCOMPLETE, parse("1a"));
        assertEquals(RequestHeadParser.INCOMPLETE, parse("1a\r"));
        assertEquals(RequestHeadParser.INCOMPLETE, parse("1a;ext"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r\n", "g\r\n", "-1\r\n", "1 2\r\n", "1\n", "1\rx", "0x10\r\n", "1;a\u0001\r\n",
        "1000000000000000\r\n", "ffffffffffffffffff\r\n"})
    void refusesMalformedOrOversizedSizes(String line) {
        assertEquals(400, assertThrows(ParseException.class, () -> parse(line)).status());
    }

    @Test
    void refusesEndlessExtensions() {
        assertEquals(400, assertThrows(ParseException.class, () -> parse("1;" + "a".repeat(5000))).status());
    }
}
