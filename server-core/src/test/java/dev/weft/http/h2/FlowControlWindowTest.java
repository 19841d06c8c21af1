package dev.weft.http.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FlowControlWindowTest {
    @Test
    void receivingConsumesTheWindowAndMoreThanItIsAFlowControlError() throws Http2Exception {
        FlowControlWindow stream = new FlowControlWindow(3, 65_535);
        stream.receive(65_000);
        stream.receive(535);
        assertEquals(0, stream.size());
        stream.receive(0);
        Http2Exception e = assertThrows(Http2Exception.class, () -> stream.receive(1));
        assertEquals(ErrorCode.FLOW_CONTROL_ERROR, e.code());
        assertEquals(3, assertInstanceOf(StreamError.class, e).streamId(), "a stream's window: a stream error");

        FlowControlWindow connection = new FlowControlWindow(0, 10);
        Http2Exception c = assertThrows(Http2Exception.class, () -> connection.receive(11));
        assertInstanceOf(ConnectionError.class, c, "the connection's window: a connection error");
        assertEquals(ErrorCode.FLOW_CONTROL_ERROR, c.code());
        assertEquals(10, connection.size(), "unchanged by the refused frame");
    }

    /** RFC 9113 section 6.9.1: "A sender MUST NOT allow a flow-control window to exceed 2^31-1 octets." */
    @Test
    void creditAboveTwoToTheThirtyOneIsAFlowControlError() throws Http2Exception {
        FlowControlWindow stream = new FlowControlWindow(5, 65_535);
        stream.credit(Integer.MAX_VALUE - 65_535);
        assertEquals(Integer.MAX_VALUE, stream.size());
        StreamError e = assertThrows(StreamError.class, () -> stream.credit(1));
        assertEquals(ErrorCode.FLOW_CONTROL_ERROR, e.code());
        assertEquals(5, e.streamId());

        FlowControlWindow connection = new FlowControlWindow(0, 65_535);
        assertThrows(ConnectionError.class, () -> connection.credit(Integer.MAX_VALUE));
        assertEquals(65_535, connection.size());
    }

    @Test
    void sendingSpendsTheWindowAndCannotOverspend() throws Http2Exception {
        FlowControlWindow window = new FlowControlWindow(1, 100);
        window.send(60);
        assertEquals(40, window.size());
        assertThrows(IllegalStateException.class, () -> window.send(41));
        window.credit(10);
        window.send(50);
        assertEquals(0, window.size());
    }

    /**
     * RFC 9113 section 6.9.2: a new SETTINGS_INITIAL_WINDOW_SIZE changes every stream's window by the difference,
     * possibly below zero, and past 2^31-1 it is a connection error even for a stream.
     */
    @Test
    void adjustsToANewInitialWindowSize() throws Http2Exception {
        FlowControlWindow window = new FlowControlWindow(7, 65_535);
        window.send(60_000);
        window.adjust(16_384 - 65_535);
        assertEquals(5_535 - 49_151, window.size());
        assertThrows(IllegalStateException.class, () -> window.send(1), "a negative window sends nothing");
        window.credit(50_000);
        assertEquals(6_384, window.size());

        FlowControlWindow full = new FlowControlWindow(9, Integer.MAX_VALUE);
        ConnectionError e = assertThrows(ConnectionError.class, () -> full.adjust(1));
        assertEquals(ErrorCode.FLOW_CONTROL_ERROR, e.code());
    }
}
