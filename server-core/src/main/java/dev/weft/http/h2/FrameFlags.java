package dev.weft.http.h2;

/** The frame flags of RFC 9113 section 6; each means something only for the frame types named. */
public final class FrameFlags {
    /** DATA, HEADERS: the last frame the sender sends on the stream. */
    public static final int END_STREAM = 0x1;
    /** SETTINGS, PING: an acknowledgement. */
    public static final int ACK = 0x1;
    /** HEADERS, PUSH_PROMISE, CONTINUATION: the frame ends the field block. */
    public static final int END_HEADERS = 0x4;
    /** DATA, HEADERS, PUSH_PROMISE: a Pad Length octet and padding are present. */
    public static final int PADDED = 0x8;
    /** HEADERS: the deprecated priority fields are present. */
    public static final int PRIORITY = 0x20;

    private FrameFlags() {
    }
}
