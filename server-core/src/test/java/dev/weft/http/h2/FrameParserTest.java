package dev.weft.http.h2;

import static dev.weft.http.h2.Frames.frame;
import static dev.weft.http.h2.Frames.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameParserTest {
    @Test
    void parsesDataFrames() throws Http2Exception {
        assertEquals(new Frame.Data(1, true, 9, 5, 5), parse(frame(0x0, 0x1, 1, "68656c6c6f")));
        // PADDED: Pad Length 2, "hi", 2 octets of padding; flow control counts all 5
        assertEquals(new Frame.Data(3, false, 10, 2, 5), parse(frame(0x0, 0x8, 3, "02 6869 0000")));
        assertEquals(new Frame.Data(3, false, 10, 0, 1), parse(frame(0x0, 0x8, 3, "00")));
        assertEquals(new Frame.Data(5, false, 9, 0, 0), parse(frame(0x0, 0x0, 5, "")));
    }

    @Test
    void parsesHeadersFramesSkippingPaddingAndPriority() throws Http2Exception {
        assertEquals(new Frame.Headers(1, false, true, 9, 1), parse(frame(0x1, 0x4, 1, "82")));
        // PADDED | PRIORITY | END_HEADERS | END_STREAM: Pad Length 1, E + dependency 3, weight 15, "82", padding
        assertEquals(new Frame.Headers(1, true, true, 15, 1), parse(frame(0x1, 0x2d, 1, "01 80000003 0f 82 00")));
        assertEquals(new Frame.Headers(7, false, false, 14, 0), parse(frame(0x1, 0x20, 7, "00000003 0f")));
        // a stream that depends on itself: an error in RFC 7540, ignored with the rest of the priority in RFC 9113
        assertEquals(new Frame.Headers(3, false, true, 14, 1), parse(frame(0x1, 0x24, 3, "00000003 0f 82")));
    }

    @Test
    void parsesTheOtherFrames() throws Http2Exception {
        assertEquals(new Frame.Priority(5), parse(frame(0x2, 0x0, 5, "80000003 0f")));
        assertEquals(new Frame.RstStream(1, 8), parse(frame(0x3, 0x0, 1, "00000008")));
        assertEquals(new Frame.RstStream(1, 0xdeadbeef), parse(frame(0x3, 0x0, 1, "deadbeef")));
        assertEquals(new Frame.Settings(true, List.of()), parse(frame(0x4, 0x1, 0, "")));
        // an unknown setting (0xff) and one of RFC 8441 (0x8) are ignored (RFC 9113 section 6.5.2)
        assertEquals(new Frame.Settings(false, List.of(new Setting(3, 100), new Setting(4, 65_535),
                new Setting(1, 0xffff_ffffL))), parse(frame(0x4, 0x0, 0,
                "0003 00000064 00ff 00000001 0004 0000ffff 0008 00000001 0001 ffffffff")));
        assertEquals(new Frame.Settings(false, List.of()), parse(frame(0x4, 0x0, 0, "")));
        assertEquals(new Frame.Ping(false, 0x0102030405060708L), parse(frame(0x6, 0x0, 0, "0102030405060708")));
        assertEquals(new Frame.Ping(true, -1L), parse(frame(0x6, 0x1, 0, "ffffffffffffffff")));
        assertEquals(new Frame.GoAway(7, 0xb, "calm down"), parse(frame(0x7, 0x0, 0, "80000007 0000000b"
                + "63616c6d20646f776e")));
        assertEquals(new Frame.GoAway(0, 0, ""), parse(frame(0x7, 0x0, 0, "00000000 00000000")));
        assertEquals(new Frame.WindowUpdate(0, 1), parse(frame(0x8, 0x0, 0, "80000001")), "reserved bit ignored");
        assertEquals(new Frame.WindowUpdate(3, Integer.MAX_VALUE), parse(frame(0x8, 0x0, 3, "7fffffff")));
        assertEquals(new Frame.Continuation(1, true, 9, 2), parse(frame(0x9, 0x4, 1, "8286")));
        assertEquals(new Frame.Continuation(1, false, 9, 0), parse(frame(0x9, 0x0, 1, "")));
        assertEquals(new Frame.Unknown(0xfa, 3), parse(frame(0xfa, 0xff, 3, "0102")));
        assertEquals(new Frame.Headers(1, false, true, 9, 1), parse(frame(0x1, 0x4, 0x8000_0001, "82")),
                "the reserved bit of the stream identifier is ignored (section 4.1)");
        assertEquals(new Frame.Data(1, false, 9, 1, 1), parse(frame(0x0, 0xf6, 1, "00")), "unused flags ignored");
    }

    /** Every frame format rule of RFC 9113 sections 4 and 6, with the error's scope and code. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "DATA on stream 0                       | 0x0 | 0x00 | 0 | 00               | connection | PROTOCOL_ERROR",
        "DATA padded without Pad Length         | 0x0 | 0x08 | 1 |                  | connection | FRAME_SIZE_ERROR",
        "DATA padding as long as the payload    | 0x0 | 0x08 | 1 | 01               | connection | PROTOCOL_ERROR",
        "DATA padding longer than the payload   | 0x0 | 0x08 | 1 | 05 6869          | connection | PROTOCOL_ERROR",
        "HEADERS on stream 0                    | 0x1 | 0x04 | 0 | 82               | connection | PROTOCOL_ERROR",
        "HEADERS too short for its priority     | 0x1 | 0x24 | 1 | 00000003         | connection | FRAME_SIZE_ERROR",
        "HEADERS too short for Pad Length       | 0x1 | 0x0c | 1 |                  | connection | FRAME_SIZE_ERROR",
        "HEADERS padding past the fragment      | 0x1 | 0x2c | 1 | 02 00000003 0f 82 | connection | PROTOCOL_ERROR",
        "PRIORITY on stream 0                   | 0x2 | 0x00 | 0 | 0000000300       | connection | PROTOCOL_ERROR",
        "PRIORITY of 4 octets                   | 0x2 | 0x00 | 1 | 00000003         | stream     | FRAME_SIZE_ERROR",
        "PRIORITY of 6 octets                   | 0x2 | 0x00 | 1 | 000000030f00     | stream     | FRAME_SIZE_ERROR",
        "RST_STREAM on stream 0                 | 0x3 | 0x00 | 0 | 00000008         | connection | PROTOCOL_ERROR",
        "RST_STREAM of 3 octets                 | 0x3 | 0x00 | 1 | 000008           | connection | FRAME_SIZE_ERROR",
        "SETTINGS on stream 1                   | 0x4 | 0x00 | 1 |                  | connection | PROTOCOL_ERROR",
        "SETTINGS ACK with a payload            | 0x4 | 0x01 | 0 | 000300000064     | connection | FRAME_SIZE_ERROR",
        "SETTINGS of 5 octets                   | 0x4 | 0x00 | 0 | 0003000000       | connection | FRAME_SIZE_ERROR",
        "SETTINGS_ENABLE_PUSH 2                 | 0x4 | 0x00 | 0 | 000200000002     | connection | PROTOCOL_ERROR",
        "SETTINGS_INITIAL_WINDOW_SIZE 2^31      | 0x4 | 0x00 | 0 | 000480000000     | connection | FLOW_CONTROL_ERROR",
        "SETTINGS_MAX_FRAME_SIZE 2^14-1         | 0x4 | 0x00 | 0 | 000500003fff     | connection | PROTOCOL_ERROR",
        "SETTINGS_MAX_FRAME_SIZE 2^24           | 0x4 | 0x00 | 0 | 000501000000     | connection | PROTOCOL_ERROR",
        "a bad setting after a good one         | 0x4 | 0x00 | 0 | 000300000064 000200000003 | connection"
            + " | PROTOCOL_ERROR",
        "PUSH_PROMISE                           | 0x5 | 0x04 | 1 | 0000000282       | connection | PROTOCOL_ERROR",
        "PING on stream 1                       | 0x6 | 0x00 | 1 | 0000000000000000 | connection | PROTOCOL_ERROR",
        "PING of 7 octets                       | 0x6 | 0x00 | 0 | 00000000000000   | connection | FRAME_SIZE_ERROR",
        "PING of 9 octets                       | 0x6 | 0x00 | 0 | 000000000000000000 | connection | FRAME_SIZE_ERROR",
        "GOAWAY on stream 1                     | 0x7 | 0x00 | 1 | 0000000000000000 | connection | PROTOCOL_ERROR",
        "GOAWAY of 7 octets                     | 0x7 | 0x00 | 0 | 00000000000000   | connection | FRAME_SIZE_ERROR",
        "WINDOW_UPDATE of 3 octets              | 0x8 | 0x00 | 1 | 000001           | connection | FRAME_SIZE_ERROR",
        "WINDOW_UPDATE of 5 octets on stream 0  | 0x8 | 0x00 | 0 | 0000000100       | connection | FRAME_SIZE_ERROR",
        "WINDOW_UPDATE of 0 on the connection   | 0x8 | 0x00 | 0 | 00000000         | connection | PROTOCOL_ERROR",
        "WINDOW_UPDATE of 0 on a stream         | 0x8 | 0x00 | 1 | 00000000         | stream     | PROTOCOL_ERROR",
        "WINDOW_UPDATE of 0, reserved bit set   | 0x8 | 0x00 | 1 | 80000000         | stream     | PROTOCOL_ERROR",
        "CONTINUATION on stream 0               | 0x9 | 0x04 | 0 | 82               | connection | PROTOCOL_ERROR",
    })
    void refusesFramesThatBreakTheirFormat(String rule, String type, String flags, int streamId, String payload,
            String scope, ErrorCode code) {
        byte[] frame = frame(Integer.decode(type), Integer.decode(flags), streamId, payload == null ? "" : payload);
        Http2Exception e = assertThrows(Http2Exception.class, () -> parse(frame));
        assertEquals(code, e.code(), e.getMessage());
        if (scope.equals("stream")) {
            assertEquals(streamId, assertInstanceOf(StreamError.class, e).streamId());
        } else {
            assertInstanceOf(ConnectionError.class, e);
        }
    }

    /** RFC 9113 section 7: the codes, and an unknown one taken as INTERNAL_ERROR. */
    @Test
    void mapsErrorCodes() {
        for (ErrorCode code : ErrorCode.values()) {
            assertEquals(code, ErrorCode.of(code.code()));
        }
        assertEquals(0xb, ErrorCode.ENHANCE_YOUR_CALM.code());
        assertEquals(0xd, ErrorCode.HTTP_1_1_REQUIRED.code());
        assertEquals(ErrorCode.INTERNAL_ERROR, ErrorCode.of(0xe));
        assertEquals(ErrorCode.INTERNAL_ERROR, ErrorCode.of(0xdeadbeef));
    }

    @Test
    void acceptsTheBoundaryValuesOfSettings() throws Http2Exception {
        assertEquals(new Frame.Settings(false, List.of(new Setting(2, 0), new Setting(2, 1), new Setting(4, 0),
                new Setting(4, Integer.MAX_VALUE), new Setting(5, 16_384), new Setting(5, 16_777_215))),
                parse(frame(0x4, 0x0, 0, "000200000000 000200000001 000400000000 00047fffffff"
                        + " 000500004000 000500ffffff")));
    }

    @Test
    void refusesAFrameAboveTheMaximumSizeFromItsHeaderAlone() throws ConnectionError {
        byte[] header = Hex.bytes("004001 00 00 00000001");
        assertEquals(FrameParser.INCOMPLETE, FrameParser.frameLength(header, 0, 8, 16_384));
        ConnectionError e = assertThrows(ConnectionError.class,
                () -> FrameParser.frameLength(header, 0, 9, 16_384));
        assertEquals(ErrorCode.FRAME_SIZE_ERROR, e.code());
        assertEquals("DATA frame of 16385 octets, above SETTINGS_MAX_FRAME_SIZE 16384", e.getMessage());
        assertEquals(9 + 16_385, FrameParser.frameLength(header, 0, 9, 16_385));
        assertEquals(9 + 16_384, FrameParser.frameLength(Hex.bytes("004000 01 04 00000001"), 0, 9, 16_384));
    }

    @Test
    void parsesAFrameInTheMiddleOfABuffer() throws Http2Exception {
        byte[] buf = new byte[40];
        byte[] ping = frame(0x6, 0x0, 0, "0102030405060708");
        System.arraycopy(ping, 0, buf, 13, ping.length);
        assertEquals(17, FrameParser.frameLength(buf, 13, 30, 16_384));
        assertEquals(new Frame.Ping(false, 0x0102030405060708L), FrameParser.parse(buf, 13));
        byte[] data = frame(0x0, 0x1, 1, "6869");
        System.arraycopy(data, 0, buf, 3, data.length);
        assertEquals(new Frame.Data(1, true, 12, 2, 2), FrameParser.parse(buf, 3));
        assertTrue(FrameType.name(0x42).contains("0x42"));
    }
}
