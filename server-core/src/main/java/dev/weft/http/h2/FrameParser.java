package dev.weft.http.h2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the frames a server receives (RFC 9113 sections 4.1 and 6), strictly: a pure function of the bytes, no
 * I/O and no connection state, so that every rule is tested without sockets. What depends on the state of a stream
 * or of a field block in progress is {@link StreamState}'s and {@link FieldBlockAssembler}'s to check.
 *
 * <p>The errors, each with its code and its scope as the RFC gives them:
 * <table>
 *   <caption>Frame format errors</caption>
 *   <tr><th>frame</th><th>rule</th><th>error</th></tr>
 *   <tr><td>any</td><td>payload above our SETTINGS_MAX_FRAME_SIZE (4.2)</td><td>connection FRAME_SIZE_ERROR</td></tr>
 *   <tr><td>DATA, HEADERS, PRIORITY, RST_STREAM, CONTINUATION</td><td>stream 0 (6.1-6.4, 6.10)</td>
 *       <td>connection PROTOCOL_ERROR</td></tr>
 *   <tr><td>SETTINGS, PING, GOAWAY</td><td>a stream other than 0 (6.5, 6.7, 6.8)</td>
 *       <td>connection PROTOCOL_ERROR</td></tr>
 *   <tr><td>DATA, HEADERS</td><td>too short for the Pad Length and priority fields its flags announce (4.2)</td>
 *       <td>connection FRAME_SIZE_ERROR</td></tr>
 *   <tr><td>DATA, HEADERS</td><td>padding as long as what is left of the payload, or longer (6.1, 6.2)</td>
 *       <td>connection PROTOCOL_ERROR</td></tr>
 *   <tr><td>PRIORITY</td><td>length other than 5 (6.3)</td><td>stream FRAME_SIZE_ERROR</td></tr>
 *   <tr><td>RST_STREAM</td><td>length other than 4 (6.4)</td><td>connection FRAME_SIZE_ERROR</td></tr>
 *   <tr><td>SETTINGS</td><td>ACK with a payload; length not a multiple of 6 (6.5)</td>
 *       <td>connection FRAME_SIZE_ERROR</td></tr>
 *   <tr><td>SETTINGS</td><td>a value out of range ({@link Setting#check})</td>
 *       <td>connection PROTOCOL_ERROR or FLOW_CONTROL_ERROR</td></tr>
 *   <tr><td>PUSH_PROMISE</td><td>any: a client cannot push (8.4)</td><td>connection PROTOCOL_ERROR</td></tr>
 *   <tr><td>PING</td><td>length other than 8 (6.7)</td><td>connection FRAME_SIZE_ERROR</td></tr>
 *   <tr><td>GOAWAY</td><td>shorter than 8 (4.2)</td><td>connection FRAME_SIZE_ERROR</td></tr>
 *   <tr><td>WINDOW_UPDATE</td><td>length other than 4 (6.9)</td><td>connection FRAME_SIZE_ERROR</td></tr>
 *   <tr><td>WINDOW_UPDATE</td><td>increment 0 (6.9)</td>
 *       <td>stream PROTOCOL_ERROR, connection PROTOCOL_ERROR on stream 0</td></tr>
 * </table>
 *
 * <p>An oversized frame is a connection error whatever its type: section 4.2 requires it for the frames that can
 * change the connection's state, allows it for the others (section 5.4.1), and a peer that ignores the frame size
 * this server advertised is not worth keeping. Unused flags and the reserved bit are ignored (section 4.1); a frame
 * of an unknown type is returned as {@link Frame.Unknown} to be ignored.
 *
 * <p>RFC 7540 made a stream that depends on itself a stream error; RFC 9113 dropped that rule with the priority
 * scheme (section 5.3.2), and so does this parser: the priority fields are skipped unread.
 */
public final class FrameParser {
    /** The size of the frame header (section 4.1). */
    public static final int HEADER_LENGTH = 9;
    /** Returned by {@link #frameLength} when fewer than 9 octets are available. */
    public static final int INCOMPLETE = -1;

    private FrameParser() {
    }

    /**
     * The length of the frame at {@code buf[from]}, header included, or {@link #INCOMPLETE} when {@code buf[from, to)}
     * does not hold its 9-octet header yet. Refuses a frame larger than {@code maxFrameSize} as soon as its header
     * arrives, before its payload is buffered.
     *
     * @throws ConnectionError FRAME_SIZE_ERROR when the payload is larger than {@code maxFrameSize}, our
     *                         SETTINGS_MAX_FRAME_SIZE
     */
    public static int frameLength(byte[] buf, int from, int to, int maxFrameSize) throws ConnectionError {
        if (to - from < HEADER_LENGTH) {
            return INCOMPLETE;
        }
        int length = payloadLength(buf, from);
        if (length > maxFrameSize) {
            throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, FrameType.name(buf[from + 3] & 0xFF)
                    + " frame of " + length + " octets, above SETTINGS_MAX_FRAME_SIZE " + maxFrameSize);
        }
        return HEADER_LENGTH + length;
    }

    /**
     * Parses the complete frame at {@code buf[from]}, whose length {@link #frameLength} has checked.
     *
     * @throws ConnectionError when the frame breaks a rule whose scope is the connection
     * @throws StreamError     when it breaks one whose scope is its stream
     */
    public static Frame parse(byte[] buf, int from) throws Http2Exception {
        int length = payloadLength(buf, from);
        int type = buf[from + 3] & 0xFF;
        int flags = buf[from + 4] & 0xFF;
        int streamId = int31(buf, from + 5);
        int p = from + HEADER_LENGTH;
        return switch (type) {
            case FrameType.DATA -> data(buf, p, length, flags, streamId);
            case FrameType.HEADERS -> headers(buf, p, length, flags, streamId);
            case FrameType.PRIORITY -> priority(length, streamId);
            case FrameType.RST_STREAM -> rstStream(buf, p, length, streamId);
            case FrameType.SETTINGS -> settings(buf, p, length, flags, streamId);
            case FrameType.PUSH_PROMISE -> throw connectionError(ErrorCode.PROTOCOL_ERROR,
                    "PUSH_PROMISE received by a server: a client cannot push");
            case FrameType.PING -> ping(buf, p, length, flags, streamId);
            case FrameType.GOAWAY -> goAway(buf, p, length, streamId);
            case FrameType.WINDOW_UPDATE -> windowUpdate(buf, p, length, streamId);
            case FrameType.CONTINUATION -> {
                requireStream(type, streamId);
                yield new Frame.Continuation(streamId, (flags & FrameFlags.END_HEADERS) != 0, p, length);
            }
            default -> new Frame.Unknown(type, streamId);
        };
    }

    private static Frame data(byte[] buf, int p, int length, int flags, int streamId) throws ConnectionError {
        requireStream(FrameType.DATA, streamId);
        int padding = 0;
        int start = p;
        if ((flags & FrameFlags.PADDED) != 0) {
            requireLength(FrameType.DATA, length, 1);
            padding = (buf[p] & 0xFF) + 1;
            start++;
        }
        int dataLength = length - padding;
        if (dataLength < 0) {
            throw connectionError(ErrorCode.PROTOCOL_ERROR, "DATA frame padding of " + (padding - 1)
                    + " octets fills its " + length + "-octet payload");
        }
        return new Frame.Data(streamId, (flags & FrameFlags.END_STREAM) != 0, start, dataLength, length);
    }

    private static Frame headers(byte[] buf, int p, int length, int flags, int streamId) throws ConnectionError {
        requireStream(FrameType.HEADERS, streamId);
        int start = p;
        int padding = 0;
        int fixed = 0;
        if ((flags & FrameFlags.PADDED) != 0) {
            fixed = 1;
        }
        if ((flags & FrameFlags.PRIORITY) != 0) {
            fixed += 5;
        }
        requireLength(FrameType.HEADERS, length, fixed);
        if ((flags & FrameFlags.PADDED) != 0) {
            padding = buf[p] & 0xFF;
        }
        int fragmentLength = length - fixed - padding;
        if (fragmentLength < 0) {
            throw connectionError(ErrorCode.PROTOCOL_ERROR, "HEADERS frame padding of " + padding
                    + " octets is longer than what is left of its " + length + "-octet payload");
        }
        return new Frame.Headers(streamId, (flags & FrameFlags.END_STREAM) != 0,
                (flags & FrameFlags.END_HEADERS) != 0, start + fixed, fragmentLength);
    }

    private static Frame priority(int length, int streamId) throws Http2Exception {
        requireStream(FrameType.PRIORITY, streamId);
        if (length != 5) {
            throw new StreamError(streamId, ErrorCode.FRAME_SIZE_ERROR,
                    "PRIORITY frame of " + length + " octets instead of 5");
        }
        return new Frame.Priority(streamId);
    }

    private static Frame rstStream(byte[] buf, int p, int length, int streamId) throws ConnectionError {
        requireStream(FrameType.RST_STREAM, streamId);
        requireExactLength(FrameType.RST_STREAM, length, 4);
        return new Frame.RstStream(streamId, int32(buf, p));
    }

    private static Frame settings(byte[] buf, int p, int length, int flags, int streamId) throws ConnectionError {
        requireConnection(FrameType.SETTINGS, streamId);
        boolean ack = (flags & FrameFlags.ACK) != 0;
        if (ack) {
            if (length != 0) {
                throw connectionError(ErrorCode.FRAME_SIZE_ERROR,
                        "SETTINGS acknowledgement with a payload of " + length + " octets");
            }
            return new Frame.Settings(true, List.of());
        }
        if (length % 6 != 0) {
            throw connectionError(ErrorCode.FRAME_SIZE_ERROR,
                    "SETTINGS frame of " + length + " octets, not a multiple of 6");
        }
        List<Setting> settings = new ArrayList<>(length / 6);
        for (int i = p; i < p + length; i += 6) {
            int id = (buf[i] & 0xFF) << 8 | buf[i + 1] & 0xFF;
            long value = int32(buf, i + 2) & 0xFFFF_FFFFL;
            ConnectionError error = Setting.check(id, value);
            if (error != null) {
                throw error;
            }
            if (Setting.isKnown(id)) {
                settings.add(new Setting(id, value));
            }
        }
        return new Frame.Settings(false, settings);
    }

    private static Frame ping(byte[] buf, int p, int length, int flags, int streamId) throws ConnectionError {
        requireConnection(FrameType.PING, streamId);
        requireExactLength(FrameType.PING, length, 8);
        long data = (long) int32(buf, p) << 32 | int32(buf, p + 4) & 0xFFFF_FFFFL;
        return new Frame.Ping((flags & FrameFlags.ACK) != 0, data);
    }

    private static Frame goAway(byte[] buf, int p, int length, int streamId) throws ConnectionError {
        requireConnection(FrameType.GOAWAY, streamId);
        requireLength(FrameType.GOAWAY, length, 8);
        return new Frame.GoAway(int31(buf, p), int32(buf, p + 4),
                new String(buf, p + 8, length - 8, StandardCharsets.ISO_8859_1));
    }

    private static Frame windowUpdate(byte[] buf, int p, int length, int streamId) throws Http2Exception {
        requireExactLength(FrameType.WINDOW_UPDATE, length, 4);
        int increment = int31(buf, p);
        if (increment == 0) {
            String message = "WINDOW_UPDATE with an increment of 0";
            if (streamId == 0) {
                throw connectionError(ErrorCode.PROTOCOL_ERROR, message + " on the connection");
            }
            throw new StreamError(streamId, ErrorCode.PROTOCOL_ERROR, message);
        }
        return new Frame.WindowUpdate(streamId, increment);
    }

    private static void requireStream(int type, int streamId) throws ConnectionError {
        if (streamId == 0) {
            throw connectionError(ErrorCode.PROTOCOL_ERROR, FrameType.name(type) + " frame on stream 0");
        }
    }

    private static void requireConnection(int type, int streamId) throws ConnectionError {
        if (streamId != 0) {
            throw connectionError(ErrorCode.PROTOCOL_ERROR,
                    FrameType.name(type) + " frame on stream " + streamId + " instead of 0");
        }
    }

    /** A frame too small to contain mandatory frame data (section 4.2). */
    private static void requireLength(int type, int length, int minimum) throws ConnectionError {
        if (length < minimum) {
            throw connectionError(ErrorCode.FRAME_SIZE_ERROR, FrameType.name(type) + " frame of " + length
                    + " octets, too short for its " + minimum + " octets of mandatory fields");
        }
    }

    private static void requireExactLength(int type, int length, int expected) throws ConnectionError {
        if (length != expected) {
            throw connectionError(ErrorCode.FRAME_SIZE_ERROR,
                    FrameType.name(type) + " frame of " + length + " octets instead of " + expected);
        }
    }

    private static ConnectionError connectionError(ErrorCode code, String message) {
        return new ConnectionError(code, message);
    }

    public static int payloadLength(byte[] buf, int at) {
        return (buf[at] & 0xFF) << 16 | (buf[at + 1] & 0xFF) << 8 | buf[at + 2] & 0xFF;
    }

    /** A 31-bit value, the reserved high bit ignored (section 4.1). */
    private static int int31(byte[] buf, int at) {
        return int32(buf, at) & 0x7FFF_FFFF;
    }

    private static int int32(byte[] buf, int at) {
        return (buf[at] & 0xFF) << 24 | (buf[at + 1] & 0xFF) << 16 | (buf[at + 2] & 0xFF) << 8 | buf[at + 3] & 0xFF;
    }
}
