package dev.weft.http.h2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class FrameWriterTest {
    private final byte[] buf = new byte[70_000];

    @Test
    void writesTheControlFramesAsTheParserReadsThem() throws Http2Exception {
        assertEquals(FrameWriter.SETTINGS_ACK_LENGTH, FrameWriter.settingsAck(buf, 0));
        assertEquals("000000 04 01 00000000", spaced(Hex.of(buf, 0, 9)));
        assertEquals(new Frame.Settings(true, List.of()), FrameParser.parse(buf, 0));

        assertEquals(FrameWriter.PING_LENGTH, FrameWriter.ping(buf, 0, true, 0x0102030405060708L));
        assertEquals(new Frame.Ping(true, 0x0102030405060708L), FrameParser.parse(buf, 0));

        assertEquals(FrameWriter.WINDOW_UPDATE_LENGTH, FrameWriter.windowUpdate(buf, 0, 5, Integer.MAX_VALUE));
        assertEquals(new Frame.WindowUpdate(5, Integer.MAX_VALUE), FrameParser.parse(buf, 0));
        assertThrows(IllegalArgumentException.class, () -> FrameWriter.windowUpdate(buf, 0, 5, 0));

        assertEquals(FrameWriter.RST_STREAM_LENGTH, FrameWriter.rstStream(buf, 0, 7, ErrorCode.REFUSED_STREAM));
        assertEquals(new Frame.RstStream(7, 7), FrameParser.parse(buf, 0));

        byte[] debug = "too many resets".getBytes(StandardCharsets.US_ASCII);
        assertEquals(17 + debug.length, FrameWriter.goAway(buf, 0, 41, ErrorCode.ENHANCE_YOUR_CALM, debug));
        assertEquals(new Frame.GoAway(41, 0xb, "too many resets"), FrameParser.parse(buf, 0));

        int end = FrameWriter.dataHeader(buf, 3, 9, 2, true);
        buf[end] = 'o';
        buf[end + 1] = 'k';
        assertEquals(new Frame.Data(9, true, 12, 2, 2), FrameParser.parse(buf, 3));
    }

    @Test
    void announcesTheServersSettingsThatDifferFromTheDefaults() throws Http2Exception {
        Settings ours = new Settings(4_096, false, 100, 1 << 20, 16_384, 16_384);
        List<Setting> preface = ours.toServerPreface();
        assertEquals(List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 100),
                new Setting(Setting.INITIAL_WINDOW_SIZE, 1 << 20),
                new Setting(Setting.MAX_HEADER_LIST_SIZE, 16_384)), preface);
        int end = FrameWriter.settings(buf, 0, preface);
        assertEquals(9 + 18, end);
        Frame.Settings frame = (Frame.Settings) FrameParser.parse(buf, 0);
        assertEquals(new Settings(4_096, true, 100, 1 << 20, 16_384, 16_384), Settings.DEFAULT.with(frame.settings()));
        assertEquals(List.of(), Settings.DEFAULT.toServerPreface());
    }

    /** A block larger than the peer's maximum frame size goes as HEADERS and CONTINUATION frames (section 4.3). */
    @Test
    void splitsALargeFieldBlockIntoContinuationFrames() throws Http2Exception {
        byte[] block = new byte[40_000];
        new Random(1).nextBytes(block);
        int expected = FrameWriter.headersLength(block.length, 16_384);
        assertEquals(40_000 + 3 * 9, expected);
        assertEquals(expected, FrameWriter.headers(buf, 0, 11, true, block, block.length, 16_384));

        Frame.Headers headers = (Frame.Headers) FrameParser.parse(buf, 0);
        assertEquals(new Frame.Headers(11, true, false, 9, 16_384), headers);
        FieldBlockAssembler assembler = new FieldBlockAssembler(65_536, 8);
        assembler.start(headers, buf);
        int at = 9 + 16_384;
        Frame.Continuation second = (Frame.Continuation) FrameParser.parse(buf, at);
        assertEquals(new Frame.Continuation(11, false, at + 9, 16_384), second);
        assertFalse(assembler.add(second, buf));
        at += 9 + 16_384;
        Frame.Continuation last = (Frame.Continuation) FrameParser.parse(buf, at);
        assertEquals(new Frame.Continuation(11, true, at + 9, 40_000 - 2 * 16_384), last);
        assertTrue(assembler.add(last, buf));
        assertArrayEquals(block, Arrays.copyOf(assembler.array(), assembler.length()));
    }

    @Test
    void sendsASmallBlockAsOneHeadersFrame() throws Http2Exception {
        byte[] block = Hex.bytes("88bf");
        assertEquals(11, FrameWriter.headers(buf, 0, 1, false, block, 2, 16_384));
        assertEquals(11, FrameWriter.headersLength(2, 16_384));
        assertEquals(new Frame.Headers(1, false, true, 9, 2), FrameParser.parse(buf, 0));
        assertEquals(9, FrameWriter.headersLength(0, 16_384));
    }

    private static String spaced(String hex) {
        return hex.substring(0, 6) + " " + hex.substring(6, 8) + " " + hex.substring(8, 10) + " " + hex.substring(10);
    }
}
