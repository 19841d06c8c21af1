package dev.weft.http.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stream state machine against the text of RFC 9113 section 5.1, row by row. */
class StreamStateTest {
    private static final Map<String, Integer> TYPES = Map.of("HEADERS", FrameType.HEADERS, "DATA", FrameType.DATA,
            "RST_STREAM", FrameType.RST_STREAM, "WINDOW_UPDATE", FrameType.WINDOW_UPDATE, "PRIORITY",
            FrameType.PRIORITY, "CONTINUATION", FrameType.CONTINUATION, "UNKNOWN", 0xfa);

    @ParameterizedTest(name = "{0} + {1}{2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        // idle: "Receiving a HEADERS frame as a server causes the stream to become open ... can also cause a stream
        // to immediately become half-closed. Receiving any frame other than HEADERS or PRIORITY on a stream in this
        // state MUST be treated as a connection error of type PROTOCOL_ERROR."
        "IDLE               | HEADERS       |     | OPEN",
        "IDLE               | HEADERS       | ES  | HALF_CLOSED_REMOTE",
        "IDLE               | PRIORITY      |     | IDLE",
        "IDLE               | DATA          |     | connection PROTOCOL_ERROR",
        "IDLE               | DATA          | ES  | connection PROTOCOL_ERROR",
        "IDLE               | RST_STREAM    |     | connection PROTOCOL_ERROR",
        "IDLE               | WINDOW_UPDATE |     | connection PROTOCOL_ERROR",
        "IDLE               | UNKNOWN       |     | IDLE",
        // open: "an endpoint receiving an END_STREAM flag causes the stream state to become half-closed (remote)";
        // "Either endpoint can send a RST_STREAM frame from this state, causing it to transition immediately to
        // closed"; and section 8.1: a HEADERS frame without END_STREAM after the one that opened the request
        // makes it malformed (a stream error of type PROTOCOL_ERROR, section 8.1.1)
        "OPEN               | DATA          |     | OPEN",
        "OPEN               | DATA          | ES  | HALF_CLOSED_REMOTE",
        "OPEN               | HEADERS       | ES  | HALF_CLOSED_REMOTE",
        "OPEN               | HEADERS       |     | stream PROTOCOL_ERROR",
        "OPEN               | RST_STREAM    |     | RESET_RECEIVED",
        "OPEN               | WINDOW_UPDATE |     | OPEN",
        "OPEN               | PRIORITY      |     | OPEN",
        "OPEN               | CONTINUATION  |     | OPEN",
        // half-closed (local): "An endpoint can receive any type of frame in this state"; "transitions from this
        // state to closed when a frame is received with the END_STREAM flag set or when either peer sends a
        // RST_STREAM frame"
        "HALF_CLOSED_LOCAL  | DATA          |     | HALF_CLOSED_LOCAL",
        "HALF_CLOSED_LOCAL  | DATA          | ES  | CLOSED",
        "HALF_CLOSED_LOCAL  | HEADERS       | ES  | CLOSED",
        "HALF_CLOSED_LOCAL  | HEADERS       |     | stream PROTOCOL_ERROR",
        "HALF_CLOSED_LOCAL  | RST_STREAM    |     | RESET_RECEIVED",
        "HALF_CLOSED_LOCAL  | WINDOW_UPDATE |     | HALF_CLOSED_LOCAL",
        "HALF_CLOSED_LOCAL  | PRIORITY      |     | HALF_CLOSED_LOCAL",
        // half-closed (remote): "If an endpoint receives additional frames, other than WINDOW_UPDATE, PRIORITY, or
        // RST_STREAM, for a stream that is in this state, it MUST respond with a stream error of type
        // STREAM_CLOSED"; a CONTINUATION finishing the HEADERS frame that carried END_STREAM is part of that frame
        "HALF_CLOSED_REMOTE | DATA          |     | stream STREAM_CLOSED",
        "HALF_CLOSED_REMOTE | DATA          | ES  | stream STREAM_CLOSED",
        "HALF_CLOSED_REMOTE | HEADERS       | ES  | stream STREAM_CLOSED",
        "HALF_CLOSED_REMOTE | RST_STREAM    |     | RESET_RECEIVED",
        "HALF_CLOSED_REMOTE | WINDOW_UPDATE |     | HALF_CLOSED_REMOTE",
        "HALF_CLOSED_REMOTE | PRIORITY      |     | HALF_CLOSED_REMOTE",
        "HALF_CLOSED_REMOTE | CONTINUATION  |     | HALF_CLOSED_REMOTE",
        // closed: "An endpoint that sends a frame with the END_STREAM flag set or a RST_STREAM frame might receive
        // a WINDOW_UPDATE or RST_STREAM frame from its peer"; "An endpoint MAY treat receipt of any other type of
        // frame on a closed stream as a connection error of type STREAM_CLOSED"; "PRIORITY can be sent and
        // received in any stream state"
        "CLOSED             | WINDOW_UPDATE |     | CLOSED",
        "CLOSED             | RST_STREAM    |     | CLOSED",
        "CLOSED             | PRIORITY      |     | CLOSED",
        "CLOSED             | DATA          |     | connection STREAM_CLOSED",
        "CLOSED             | HEADERS       | ES  | connection STREAM_CLOSED",
        "RESET_RECEIVED     | PRIORITY      |     | RESET_RECEIVED",
        "RESET_RECEIVED     | RST_STREAM    |     | RESET_RECEIVED",
        "RESET_RECEIVED     | WINDOW_UPDATE |     | RESET_RECEIVED",
        "RESET_RECEIVED     | DATA          | ES  | connection STREAM_CLOSED",
        "RESET_RECEIVED     | HEADERS       |     | connection STREAM_CLOSED",
        // "An endpoint that sends a RST_STREAM frame on a stream that is in the open or half-closed (local) state
        // could receive any type of frame ... An endpoint MUST minimally process and then discard any frames it
        // receives in this state"
        "RESET_SENT         | DATA          |     | RESET_SENT",
        "RESET_SENT         | DATA          | ES  | RESET_SENT",
        "RESET_SENT         | HEADERS       |     | RESET_SENT",
        "RESET_SENT         | RST_STREAM    |     | RESET_SENT",
        "RESET_SENT         | WINDOW_UPDATE |     | RESET_SENT",
        "RESET_SENT         | PRIORITY      |     | RESET_SENT",
    })
    void followsSection51OnReceiving(StreamState state, String frame, String endStream, String expected)
            throws Http2Exception {
        int type = TYPES.get(frame);
        boolean es = "ES".equals(endStream);
        if (expected.contains(" ")) {
            String[] scopeAndCode = expected.split(" ");
            Http2Exception e = assertThrows(Http2Exception.class, () -> state.received(type, es, 5));
            assertEquals(ErrorCode.valueOf(scopeAndCode[1]), e.code(), e.getMessage());
            if (scopeAndCode[0].equals("stream")) {
                assertEquals(5, assertInstanceOf(StreamError.class, e).streamId());
            } else {
                assertInstanceOf(ConnectionError.class, e);
            }
            assertTrue(e.getMessage().contains("stream 5"), e.getMessage());
        } else {
            assertEquals(StreamState.valueOf(expected), state.received(type, es, 5));
        }
    }

    @ParameterizedTest(name = "{0}: END_STREAM -> {1}, RST_STREAM -> {2}")
    @CsvSource({
        "OPEN, HALF_CLOSED_LOCAL, RESET_SENT",
        "HALF_CLOSED_REMOTE, CLOSED, RESET_SENT",
        "HALF_CLOSED_LOCAL, -, RESET_SENT",
        "IDLE, -, -",
        "CLOSED, -, -",
        "RESET_RECEIVED, -, -",
        "RESET_SENT, -, -",
    })
    void followsSection51OnSending(StreamState state, String afterEndStream, String afterReset) {
        if (afterEndStream.equals("-")) {
            assertThrows(IllegalStateException.class, state::endStreamSent);
        } else {
            assertEquals(StreamState.valueOf(afterEndStream), state.endStreamSent());
        }
        if (afterReset.equals("-")) {
            assertThrows(IllegalStateException.class, state::resetSent);
        } else {
            assertEquals(StreamState.valueOf(afterReset), state.resetSent());
        }
        assertEquals(state == StreamState.OPEN || state == StreamState.HALF_CLOSED_REMOTE, state.canSend());
    }

    @Test
    void aRequestAndItsResponseGoFromIdleToClosed() throws Http2Exception {
        StreamState s = StreamState.IDLE.received(FrameType.HEADERS, false, 1);
        s = s.received(FrameType.DATA, false, 1);
        s = s.received(FrameType.DATA, true, 1);
        assertEquals(StreamState.HALF_CLOSED_REMOTE, s);
        assertTrue(s.isActive());
        s = s.endStreamSent();
        assertEquals(StreamState.CLOSED, s);
        assertFalse(s.isActive());
        assertTrue(s.isClosed());
    }

    @Test
    void countsOnlyOpenAndHalfClosedStreamsAsActive() {
        for (StreamState s : StreamState.values()) {
            boolean active = s == StreamState.OPEN || s == StreamState.HALF_CLOSED_LOCAL
                    || s == StreamState.HALF_CLOSED_REMOTE;
            assertEquals(active, s.isActive(), s.name());
            assertEquals(!active && s != StreamState.IDLE, s.isClosed(), s.name());
        }
    }

    @Test
    void connectionFramesAreNotStreamEvents() {
        for (int type : new int[] {FrameType.SETTINGS, FrameType.PING, FrameType.GOAWAY, FrameType.PUSH_PROMISE}) {
            assertThrows(IllegalArgumentException.class, () -> StreamState.OPEN.received(type, false, 1));
        }
    }
}
