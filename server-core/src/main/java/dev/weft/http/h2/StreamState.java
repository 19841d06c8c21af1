package dev.weft.http.h2;

/**
 * The life of a stream as a server sees it (RFC 9113 section 5.1), and the transition function: the state after a
 * frame is received or an END_STREAM or RST_STREAM sent, or the error the frame is.
 *
 * <p>The two reserved states of section 5.1 are left out: they exist only for server push, which this server never
 * does and which a client cannot do (section 8.4). The "closed" state is three, because what may still arrive on a
 * closed stream depends on how it closed (section 5.1, "closed"): {@link #CLOSED} after END_STREAM both ways,
 * {@link #RESET_RECEIVED} after the peer's RST_STREAM, {@link #RESET_SENT} after this server's.
 *
 * <p>Received frames, state by state ("conn" is a connection error, "stream" a stream error):
 * <table>
 *   <caption>Transitions on receiving</caption>
 *   <tr><th>state</th><th>HEADERS</th><th>DATA</th><th>RST_STREAM</th><th>WINDOW_UPDATE</th><th>PRIORITY</th></tr>
 *   <tr><td>idle</td><td>open, or half-closed (remote) with END_STREAM</td><td>conn PROTOCOL_ERROR</td>
 *       <td>conn PROTOCOL_ERROR</td><td>conn PROTOCOL_ERROR</td><td>idle</td></tr>
 *   <tr><td>open</td><td>trailers: half-closed (remote); without END_STREAM stream PROTOCOL_ERROR (8.1)</td>
 *       <td>open, or half-closed (remote) with END_STREAM</td><td>reset received</td><td>open</td><td>open</td></tr>
 *   <tr><td>half-closed (local)</td><td>trailers: closed; without END_STREAM stream PROTOCOL_ERROR (8.1)</td>
 *       <td>unchanged, or closed with END_STREAM</td><td>reset received</td><td>unchanged</td><td>unchanged</td></tr>
 *   <tr><td>half-closed (remote)</td><td>stream STREAM_CLOSED</td><td>stream STREAM_CLOSED</td>
 *       <td>reset received</td><td>unchanged</td><td>unchanged</td></tr>
 *   <tr><td>closed</td><td>conn STREAM_CLOSED</td><td>conn STREAM_CLOSED</td><td>ignored</td><td>ignored</td>
 *       <td>ignored</td></tr>
 *   <tr><td>reset received</td><td>conn STREAM_CLOSED</td><td>conn STREAM_CLOSED</td><td>ignored</td>
 *       <td>ignored</td><td>ignored</td></tr>
 *   <tr><td>reset sent</td><td>ignored</td><td>ignored</td><td>ignored</td><td>ignored</td><td>ignored</td></tr>
 * </table>
 *
 * <p>On a closed stream the peer may still send WINDOW_UPDATE and RST_STREAM for a while, having not yet seen our
 * END_STREAM, and anything at all after our RST_STREAM, which must be minimally processed and discarded: its field
 * block still decoded and its DATA still counted against the connection's window. DATA or HEADERS after the peer's
 * own END_STREAM or RST_STREAM cannot be a race, and section 5.1 allows treating it as a connection error of type
 * STREAM_CLOSED. CONTINUATION frames cause no transition (they are part of the HEADERS frame before them, whose
 * sequence {@link FieldBlockAssembler} checks) and neither do frames of unknown types (section 5.1).
 */
public enum StreamState {
    IDLE,
    OPEN,
    /** This server sent END_STREAM; the peer may still send. */
    HALF_CLOSED_LOCAL,
    /** The peer sent END_STREAM; this server may still send. */
    HALF_CLOSED_REMOTE,
    /** Closed by END_STREAM in both directions. */
    CLOSED,
    /** Closed by the peer's RST_STREAM. */
    RESET_RECEIVED,
    /** Closed by this server's RST_STREAM. */
    RESET_SENT;

    /**
     * The state after receiving a frame of {@code frameType} on stream {@code streamId} in this state, END_STREAM
     * set or not, as the table above gives.
     *
     * @throws ConnectionError or {@link StreamError}, as the table above gives
     * @throws IllegalArgumentException for SETTINGS, PING, GOAWAY and PUSH_PROMISE, which are not stream frames here
     */
    public StreamState received(int frameType, boolean endStream, int streamId) throws Http2Exception {
        switch (frameType) {
            case FrameType.HEADERS, FrameType.DATA, FrameType.RST_STREAM, FrameType.WINDOW_UPDATE -> {
            }
            case FrameType.SETTINGS, FrameType.PING, FrameType.GOAWAY, FrameType.PUSH_PROMISE ->
                    throw new IllegalArgumentException(FrameType.name(frameType) + " is not a stream frame");
            default -> {
                // PRIORITY is allowed in every state, CONTINUATION belongs to its HEADERS, unknown types are ignored
                return this;
            }
        }
        return switch (this) {
            case IDLE -> {
                if (frameType != FrameType.HEADERS) {
                    throw new ConnectionError(ErrorCode.PROTOCOL_ERROR,
                            FrameType.name(frameType) + " frame on idle stream " + streamId);
                }
                yield endStream ? HALF_CLOSED_REMOTE : OPEN;
            }
            case OPEN, HALF_CLOSED_LOCAL -> switch (frameType) {
                case FrameType.HEADERS -> {
                    if (!endStream) {
                        throw new StreamError(streamId, ErrorCode.PROTOCOL_ERROR,
                                "a second HEADERS frame without END_STREAM on stream " + streamId);
                    }
                    yield remoteEnded();
                }
                case FrameType.DATA -> endStream ? remoteEnded() : this;
                case FrameType.RST_STREAM -> RESET_RECEIVED;
                default -> this;
            };
            case HALF_CLOSED_REMOTE -> switch (frameType) {
                case FrameType.HEADERS, FrameType.DATA -> throw new StreamError(streamId, ErrorCode.STREAM_CLOSED,
                        FrameType.name(frameType) + " frame on stream " + streamId + " after its END_STREAM");
                case FrameType.RST_STREAM -> RESET_RECEIVED;
                default -> this;
            };
            case CLOSED, RESET_RECEIVED -> {
                if (frameType == FrameType.HEADERS || frameType == FrameType.DATA) {
                    throw new ConnectionError(ErrorCode.STREAM_CLOSED, FrameType.name(frameType)
                            + " frame on stream " + streamId + " after its "
                            + (this == CLOSED ? "END_STREAM" : "RST_STREAM"));
                }
                yield this;
            }
            case RESET_SENT -> this;
        };
    }

    private StreamState remoteEnded() {
        return this == OPEN ? HALF_CLOSED_REMOTE : CLOSED;
    }

    /**
     * The state after this server sends END_STREAM, on the last DATA frame or on the HEADERS frame of a response
     * without content or of its trailers.
     *
     * @throws IllegalStateException when this server may not send on the stream
     */
    public StreamState endStreamSent() {
        return switch (this) {
            case OPEN -> HALF_CLOSED_LOCAL;
            case HALF_CLOSED_REMOTE -> CLOSED;
            default -> throw new IllegalStateException("cannot end a stream in state " + this);
        };
    }

    /**
     * The state after this server sends RST_STREAM (section 6.4), which it may do on any stream that is neither idle
     * nor closed.
     *
     * @throws IllegalStateException on an idle or closed stream
     */
    public StreamState resetSent() {
        return switch (this) {
            case OPEN, HALF_CLOSED_LOCAL, HALF_CLOSED_REMOTE -> RESET_SENT;
            default -> throw new IllegalStateException("cannot reset a stream in state " + this);
        };
    }

    /** True when this server may send HEADERS or DATA: open or half-closed (remote). */
    public boolean canSend() {
        return this == OPEN || this == HALF_CLOSED_REMOTE;
    }

    /**
     * True for the states that count toward SETTINGS_MAX_CONCURRENT_STREAMS: open and both half-closed (section
     * 5.1.2).
     */
    boolean isActive() {
        return this == OPEN || this == HALF_CLOSED_LOCAL || this == HALF_CLOSED_REMOTE;
    }

    /** True for the three closed states. */
    public boolean isClosed() {
        return this == CLOSED || this == RESET_RECEIVED || this == RESET_SENT;
    }
}
