package dev.weft.http.h2;

import java.util.List;

/**
 * A frame as {@link FrameParser} parsed it (RFC 9113 section 6), one record per type a server can receive. Payload
 * octets are not copied: offsets refer to the array the frame was parsed from, valid until it is reused.
 */
public sealed interface Frame {
    /** The stream the frame belongs to; 0 for the connection. */
    int streamId();

    /**
     * DATA (section 6.1): {@code data[dataOffset, dataOffset + dataLength)} of the buffer. {@code flowControlled} is
     * the whole payload, padding included, which is what flow control counts.
     */
    record Data(int streamId, boolean endStream, int dataOffset, int dataLength, int flowControlled)
            implements Frame {
    }

    /**
     * HEADERS (section 6.2): the first fragment of a field block, and all of it when {@code endHeaders}. Its
     * priority fields, when present, are skipped: RFC 9113 section 5.3.2 deprecates them and this server does not
     * prioritise.
     */
    record Headers(int streamId, boolean endStream, boolean endHeaders, int fragmentOffset, int fragmentLength)
            implements Frame {
    }

    /** PRIORITY (section 6.3): well-formed, and ignored. */
    record Priority(int streamId) implements Frame {
    }

    /** RST_STREAM (section 6.4), with the error code as sent; see {@link ErrorCode#of}. */
    record RstStream(int streamId, int errorCode) implements Frame {
    }

    /** SETTINGS (section 6.5): an acknowledgement, or the settings this server knows, in their order. */
    record Settings(boolean ack, List<Setting> settings) implements Frame {
        @Override
        public int streamId() {
            return 0;
        }
    }

    /** PING (section 6.7), its 8 octets of opaque data as a long. */
    record Ping(boolean ack, long opaqueData) implements Frame {
        @Override
        public int streamId() {
            return 0;
        }
    }

    /** GOAWAY (section 6.8), with the error code as sent and the debug data as Latin-1 text. */
    record GoAway(int lastStreamId, int errorCode, String debugData) implements Frame {
        @Override
        public int streamId() {
            return 0;
        }
    }

    /** WINDOW_UPDATE (section 6.9), its increment between 1 and 2^31-1. */
    record WindowUpdate(int streamId, int increment) implements Frame {
    }

    /** CONTINUATION (section 6.10): the next fragment of the field block its stream's HEADERS frame started. */
    record Continuation(int streamId, boolean endHeaders, int fragmentOffset, int fragmentLength) implements Frame {
    }

    /** A frame of a type RFC 9113 does not define, to be ignored (section 4.1) unless it interrupts a field block. */
    record Unknown(int type, int streamId) implements Frame {
    }
}
