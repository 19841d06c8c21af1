package dev.weft.http.h2;

import static dev.weft.http.h2.Frames.frame;
import static dev.weft.http.h2.Frames.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldBlockAssemblerTest {
    private FieldBlockAssembler assembler = new FieldBlockAssembler(64, 3);

    private void open(int streamId) throws Http2Exception {
        byte[] headers = frame(0x1, 0x1, streamId, "8286");
        Frame frame = parse(headers);
        assembler.checkSequence(frame);
        assembler.start((Frame.Headers) frame, headers);
    }

    private boolean continueWith(int streamId, int flags, String fragment) throws Http2Exception {
        byte[] bytes = frame(0x9, flags, streamId, fragment);
        Frame frame = parse(bytes);
        assembler.checkSequence(frame);
        return assembler.add((Frame.Continuation) frame, bytes);
    }

    @Test
    void joinsTheFragmentsOfABlock() throws Http2Exception {
        open(1);
        assertTrue(assembler.inProgress());
        assertFalse(continueWith(1, 0x0, "84"));
        assertFalse(continueWith(1, 0x0, ""));
        assertTrue(continueWith(1, 0x4, "41 0f 7777772e6578616d706c652e636f6d"));
        assertEquals(HpackDecoderTest.C3[0].replace(" ", ""), Hex.of(assembler.array(), 0, assembler.length()));
        assertEquals(new Frame.Headers(1, true, false, 9, 2), assembler.headers(), "END_STREAM is on the HEADERS");
        assembler.finish();
        assertFalse(assembler.inProgress());
        assembler.checkSequence(parse(frame(0x6, 0x0, 0, "0000000000000000")));
    }

    /** RFC 9113 sections 4.3, 5.5 and 6.10: nothing may come between the frames of a field block. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "DATA of the same stream        | 0x0 | 0x0 | 1 | 00",
        "HEADERS of another stream      | 0x1 | 0x4 | 3 | 82",
        "CONTINUATION of another stream | 0x9 | 0x4 | 3 | 82",
        "PRIORITY                       | 0x2 | 0x0 | 1 | 0000000310",
        "SETTINGS                       | 0x4 | 0x0 | 0 | ''",
        "PING                           | 0x6 | 0x0 | 0 | 0000000000000000",
        "an extension frame             | 0xfa | 0x0 | 1 | ''",
    })
    void refusesAnyOtherFrameInTheMiddleOfABlock(String name, String type, String flags, int streamId,
            String payload) throws Http2Exception {
        open(1);
        Frame frame = parse(frame(Integer.decode(type), Integer.decode(flags), streamId, payload));
        ConnectionError e = assertThrows(ConnectionError.class, () -> assembler.checkSequence(frame));
        assertEquals(ErrorCode.PROTOCOL_ERROR, e.code());
        assertTrue(e.getMessage().endsWith("in the middle of the field block of stream 1"), e.getMessage());
    }

    @Test
    void refusesAContinuationWithoutAHeadersFrameBeforeIt() throws Http2Exception {
        Frame frame = parse(frame(0x9, 0x4, 1, "82"));
        ConnectionError e = assertThrows(ConnectionError.class, () -> assembler.checkSequence(frame));
        assertEquals(ErrorCode.PROTOCOL_ERROR, e.code());
        assertEquals("CONTINUATION frame on stream 1 without a HEADERS frame to continue", e.getMessage());
    }

    /** CVE-2024-27316 and kin: a block that never ends, in bytes or in frames, closes the connection. */
    @Test
    void boundsTheBlockInOctetsAndInFrames() throws Http2Exception {
        open(1);
        assertFalse(continueWith(1, 0x0, "00".repeat(62)));
        ConnectionError tooLarge = assertThrows(ConnectionError.class, () -> continueWith(1, 0x0, "00"));
        assertEquals(ErrorCode.ENHANCE_YOUR_CALM, tooLarge.code());
        assertEquals("field block of stream 1 larger than 64 octets", tooLarge.getMessage());

        assembler = new FieldBlockAssembler(64, 3); // a connection error ends the connection, and its assembler
        open(3);
        for (int i = 0; i < 3; i++) {
            assertFalse(continueWith(3, 0x0, ""));
        }
        ConnectionError flood = assertThrows(ConnectionError.class, () -> continueWith(3, 0x4, ""));
        assertEquals(ErrorCode.ENHANCE_YOUR_CALM, flood.code());
        assertEquals("field block of stream 3 continued in more than 3 CONTINUATION frames", flood.getMessage());
    }

    @Test
    void takesOnlyBlocksThatContinue() throws Http2Exception {
        byte[] whole = frame(0x1, 0x4, 1, "82");
        assertThrows(IllegalArgumentException.class, () -> assembler.start((Frame.Headers) parse(whole), whole));
    }
}
