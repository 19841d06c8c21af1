package dev.weft.http.h2;

import java.util.List;

/**
 * Serialises the frames a server sends (RFC 9113 section 6) into a byte array at a given index, returning the index
 * after the frame. Pure functions: the caller owns the buffer and provides the room each frame needs, which the
 * {@code *_LENGTH} constants and {@link #headersLength} give. Unused flags and the reserved bit are sent as 0
 * (section 4.1).
 */
public final class FrameWriter {
    public static final int SETTINGS_ACK_LENGTH = FrameParser.HEADER_LENGTH;
    public static final int PING_LENGTH = FrameParser.HEADER_LENGTH + 8;
    public static final int WINDOW_UPDATE_LENGTH = FrameParser.HEADER_LENGTH + 4;
    public static final int RST_STREAM_LENGTH = FrameParser.HEADER_LENGTH + 4;

    private FrameWriter() {
    }

    /** The 9-octet frame header (section 4.1). */
    public static int header(byte[] dst, int at, int length, int type, int flags, int streamId) {
        dst[at] = (byte) (length >>> 16);
        dst[at + 1] = (byte) (length >>> 8);
        dst[at + 2] = (byte) length;
        dst[at + 3] = (byte) type;
        dst[at + 4] = (byte) flags;
        return int32(dst, at + 5, streamId & 0x7FFF_FFFF);
    }

    /** A SETTINGS frame carrying {@code settings} (section 6.5); {@code 9 + 6 * settings.size()} octets. */
    public static int settings(byte[] dst, int at, List<Setting> settings) {
        int p = header(dst, at, 6 * settings.size(), FrameType.SETTINGS, 0, 0);
        for (Setting s : settings) {
            dst[p] = (byte) (s.id() >>> 8);
            dst[p + 1] = (byte) s.id();
            p = int32(dst, p + 2, (int) s.value());
        }
        return p;
    }

    /** The acknowledgement of the peer's SETTINGS frame (section 6.5.3). */
    public static int settingsAck(byte[] dst, int at) {
        return header(dst, at, 0, FrameType.SETTINGS, FrameFlags.ACK, 0);
    }

    /** A PING, or with {@code ack} the answer to one, echoing its data (section 6.7). */
    public static int ping(byte[] dst, int at, boolean ack, long opaqueData) {
        int p = header(dst, at, 8, FrameType.PING, ack ? FrameFlags.ACK : 0, 0);
        p = int32(dst, p, (int) (opaqueData >>> 32));
        return int32(dst, p, (int) opaqueData);
    }

    /** A GOAWAY (section 6.8); {@code 17 + debugData.length} octets. */
    public static int goAway(byte[] dst, int at, int lastStreamId, ErrorCode code, byte[] debugData) {
        int p = header(dst, at, 8 + debugData.length, FrameType.GOAWAY, 0, 0);
        p = int32(dst, p, lastStreamId & 0x7FFF_FFFF);
        p = int32(dst, p, code.code());
        System.arraycopy(debugData, 0, dst, p, debugData.length);
        return p + debugData.length;
    }

    /** A WINDOW_UPDATE for a stream, or for the connection with stream 0 (section 6.9). */
    public static int windowUpdate(byte[] dst, int at, int streamId, int increment) {
        if (increment <= 0) {
            throw new IllegalArgumentException("window increment must be between 1 and 2^31-1, was " + increment);
        }
        int p = header(dst, at, 4, FrameType.WINDOW_UPDATE, 0, streamId);
        return int32(dst, p, increment);
    }

    /** A RST_STREAM (section 6.4). */
    public static int rstStream(byte[] dst, int at, int streamId, ErrorCode code) {
        int p = header(dst, at, 4, FrameType.RST_STREAM, 0, streamId);
        return int32(dst, p, code.code());
    }

    /** The header of a DATA frame whose {@code length} octets of data the caller writes after it (section 6.1). */
    public static int dataHeader(byte[] dst, int at, int streamId, int length, boolean endStream) {
        return header(dst, at, length, FrameType.DATA, endStream ? FrameFlags.END_STREAM : 0, streamId);
    }

    /** The octets {@link #headers} writes for a field block of {@code blockLength} octets. */
    public static int headersLength(int blockLength, int maxFrameSize) {
        int frames = Math.max(1, (blockLength + maxFrameSize - 1) / maxFrameSize);
        return blockLength + frames * FrameParser.HEADER_LENGTH;
    }

    /**
     * A field block as a HEADERS frame and as many CONTINUATION frames as the peer's {@code maxFrameSize} requires
     * (sections 4.3, 6.2 and 6.10), END_HEADERS on the last and END_STREAM, when asked, on the HEADERS frame.
     */
    public static int headers(byte[] dst, int at, int streamId, boolean endStream, byte[] block, int blockLength,
            int maxFrameSize) {
        int first = Math.min(blockLength, maxFrameSize);
        int flags = (endStream ? FrameFlags.END_STREAM : 0) | (first == blockLength ? FrameFlags.END_HEADERS : 0);
        int p = header(dst, at, first, FrameType.HEADERS, flags, streamId);
        System.arraycopy(block, 0, dst, p, first);
        p += first;
        for (int done = first; done < blockLength; ) {
            int n = Math.min(blockLength - done, maxFrameSize);
            done += n;
            p = header(dst, p, n, FrameType.CONTINUATION, done == blockLength ? FrameFlags.END_HEADERS : 0,
                    streamId);
            System.arraycopy(block, done - n, dst, p, n);
            p += n;
        }
        return p;
    }

    private static int int32(byte[] dst, int at, int value) {
        dst[at] = (byte) (value >>> 24);
        dst[at + 1] = (byte) (value >>> 16);
        dst[at + 2] = (byte) (value >>> 8);
        dst[at + 3] = (byte) value;
        return at + 4;
    }
}
