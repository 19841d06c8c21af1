package dev.weft.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChunkedDecoderTest {
    /** What a body decoded to, and where the decoder stopped. */
    record Decoded(String data, Fields trailers, int end, long bodyLength) {}

    /**
     * Decodes {@code body} as a caller does, the bytes arriving {@code step} at a time: advance, take the data that
     * is there, else let more arrive. Returns null if the input ends before the body.
     */
    static Decoded decode(ChunkedDecoder decoder, byte[] body, int step) throws ParseException {
        decoder.reset();
        Fields trailers = new Fields();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int pos = 0;
        int arrived = Math.min(step, body.length);
        while (true) {
            pos = decoder.advance(body, pos, arrived, trailers);
            assertTrue(pos <= arrived, "the decoder never passes the input's end");
            if (decoder.done()) {
                return new Decoded(data.toString(StandardCharsets.ISO_8859_1), trailers, pos, decoder.bodyLength());
            }
            assertTrue(trailers.isEmpty(), "trailers are handed over only at the end");
            long remaining = decoder.dataRemaining();
            if (remaining > 0 && pos < arrived) {
                int n = (int) Math.min(remaining, arrived - pos);
                data.write(body, pos, n);
                pos += n;
                decoder.dataConsumed(n);
            } else if (arrived == body.length) {
                return null;
            } else {
                arrived = Math.min(body.length, arrived + step);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.replace("|", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Decoded decodeRequest(String body) throws ParseException {
        return decode(ChunkedDecoder.forRequests(1024), bytes(body), Integer.MAX_VALUE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
        "one chunk # 5|hello|0|| # hello",
        "two chunks # 5|hello|6| world|0|| # hello world",
        "upper- and lower-case hex # A|0123456789|a|abcdefghij|0|| # 0123456789abcdefghij",
        "leading zeros # 0005|hello|000|| # hello",
        "extensions # 5;name=value|hello|0;last|| # hello",
        "quoted extension # 5;name=\"va;lue\"|hello|0|| # hello",
        "whitespace before an extension # 5 ; a=b|hello|0|| # hello",
        "empty body # 0|| # ''",
    })
    void decodes(String name, String body, String data) throws ParseException {
        Decoded d = decodeRequest(body);
        assertEquals(data, d.data());
        assertEquals(bytes(body).length, d.end());
        assertEquals(data.length(), d.bodyLength());
    }

    @Test
    void decodesTheSameWhateverPiecesTheBytesArriveIn() throws ParseException {
        byte[] body = bytes("5;x=1|hello|1a|abcdefghijklmnopqrstuvwxyz|0|Checksum: c0ffee|Expires: never||NEXT");
        for (int step = 1; step <= body.length; step++) {
            Decoded d = decode(ChunkedDecoder.forResponses(1024), body, step);
            assertEquals("helloabcdefghijklmnopqrstuvwxyz", d.data(), "step " + step);
            assertEquals(List.of("Checksum: c0ffee", "Expires: never"), d.trailers(), "step " + step);
            assertEquals(body.length - 4, d.end(), "stops at the end of the body, before what follows");
        }
    }

    @Test
    void waitsForTheWholeSizeLine() throws ParseException {
        for (String partial : new String[] {"", "1a", "1a\r", "1a;ext", "5|hel", "5|hello", "5|hello\r", "0|",
            "0|X: y|"}) {
            assertEquals(null, decode(ChunkedDecoder.forRequests(1024), bytes(partial), 1), partial);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
        "no size # |",
        "not hex # g|",
        "negative # -1|",
        "plus sign # +1a|a|0||",
        "0x prefix # 0x10|",
        "space inside the size # 1 2|",
        "bare LF after the size # 1<LF>a|0||",
        "CR without LF # 1<CR>x",
        "control character in an extension # 1;a<BEL>|a|0||",
        "16 hex digits # 1000000000000000|",
        "18 hex digits # ffffffffffffffffff|",
        "data longer than the size # 3|abcd|0||",
        "data not followed by CRLF # 3|abcX|0||",
        "data followed by a bare LF # 3|abc<LF>0||",
        "control character in a trailer # 0|X: a<BEL>||",
        "folded trailer # 0|X: a| b||",
        "space before the colon of a trailer # 0|X : a||",
    })
    void refusesMalformedFraming(String name, String body) {
        byte[] b = bytes(body.replace("<LF>", "\n").replace("<CR>", "\r").replace("<BEL>", "\u0007"));
        ParseException request = assertThrows(ParseException.class,
                () -> decode(ChunkedDecoder.forRequests(1024), b, Integer.MAX_VALUE));
        assertEquals(400, request.status(), request.getMessage());
        ParseException response = assertThrows(ParseException.class,
                () -> decode(ChunkedDecoder.forResponses(1024), b, 1));
        assertEquals(502, response.status(), "a response with broken framing is a bad gateway");
    }

    @Test
    void refusesEndlessSizeLinesAndTrailerSections() {
        byte[] endless = bytes("1;" + "a".repeat(5000));
        assertEquals(400, assertThrows(ParseException.class,
                () -> decode(ChunkedDecoder.forRequests(1024), endless, 100)).status());
        byte[] trailers = bytes("0|" + "X-Pad: 0123456789|".repeat(100));
        assertEquals(431, assertThrows(ParseException.class,
                () -> decode(ChunkedDecoder.forRequests(1024), trailers, 100)).status());
        assertEquals(502, assertThrows(ParseException.class,
                () -> decode(ChunkedDecoder.forResponses(1024), trailers, 100)).status());
    }

    @Test
    void countsTheDeclaredSizesBeforeTheDataArrives() throws ParseException {
        ChunkedDecoder decoder = ChunkedDecoder.forRequests(1024);
        byte[] b = bytes("fffffff|");
        assertEquals(b.length, decoder.advance(b, 0, b.length, null));
        assertEquals(0xfffffffL, decoder.bodyLength(), "a limit can refuse the chunk before its data is read");
        assertEquals(0xfffffffL, decoder.dataRemaining());
        assertFalse(decoder.done());
    }

    @Test
    void refusesToConsumeMoreDataThanTheChunkHolds() throws ParseException {
        ChunkedDecoder decoder = ChunkedDecoder.forRequests(1024);
        byte[] b = bytes("2|ab|0||");
        int p = decoder.advance(b, 0, b.length, null);
        assertThrows(IllegalArgumentException.class, () -> decoder.dataConsumed(3));
        decoder.dataConsumed(2);
        assertEquals(0, decoder.dataRemaining());
        assertEquals(b.length, decoder.advance(b, p + 2, b.length, null));
        assertTrue(decoder.done());
    }
}
