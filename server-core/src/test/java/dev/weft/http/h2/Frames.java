package dev.weft.http.h2;

/** Raw frames for tests, written out octet by octet rather than with {@link FrameWriter}. */
final class Frames {
    private Frames() {
    }

    /** A frame header with the payload's length, then the payload given in hex. */
    static byte[] frame(int type, int flags, int streamId, String payloadHex) {
        byte[] payload = Hex.bytes(payloadHex);
        byte[] frame = new byte[9 + payload.length];
        frame[0] = (byte) (payload.length >>> 16);
        frame[1] = (byte) (payload.length >>> 8);
        frame[2] = (byte) payload.length;
        frame[3] = (byte) type;
        frame[4] = (byte) flags;
        frame[5] = (byte) (streamId >>> 24);
        frame[6] = (byte) (streamId >>> 16);
        frame[7] = (byte) (streamId >>> 8);
        frame[8] = (byte) streamId;
        System.arraycopy(payload, 0, frame, 9, payload.length);
        return frame;
    }

    static Frame parse(byte[] frame) throws Http2Exception {
        int length = FrameParser.frameLength(frame, 0, frame.length, Setting.MAX_MAX_FRAME_SIZE);
        if (length != frame.length) {
            throw new AssertionError("frame of " + length + " octets in " + frame.length);
        }
        return FrameParser.parse(frame, 0);
    }
}
