package dev.weft.http.h2;

/**
 * One flow-control window (RFC 9113 sections 5.2 and 6.9): of a stream, or of the connection (stream 0). A window
 * counts in one direction; a stream has one for what it may send and one for what it may receive, and so does the
 * connection.
 *
 * <p>The size is a long because a change of SETTINGS_INITIAL_WINDOW_SIZE can make it negative (section 6.9.2), and
 * so that arithmetic never wraps before the limit of 2^31-1 is checked. The errors are the ones section 6.9 gives:
 * a stream error for a stream's window, a connection error for the connection's, except for a settings change,
 * which is always a connection error.
 */
public final class FlowControlWindow {
    private final int streamId;
    private long size;

    /**
     * @param streamId    the stream the window belongs to, 0 for the connection
     * @param initialSize 65,535, or SETTINGS_INITIAL_WINDOW_SIZE for a stream once it is set
     */
    public FlowControlWindow(int streamId, int initialSize) {
        this.streamId = streamId;
        this.size = initialSize;
    }

    /** The octets that may be sent now; negative after a reduction of the initial window size. */
    public long size() {
        return size;
    }

    /**
     * Receiving: the peer sent a flow-controlled frame of {@code length} octets (a DATA frame's whole payload,
     * padding included: section 6.1).
     *
     * @throws Http2Exception FLOW_CONTROL_ERROR when the frame is larger than the window the peer was given (section
     *                        6.9.1): a stream error, or a connection error for the connection's window
     */
    public void receive(int length) throws Http2Exception {
        if (length > size) {
            throw error("received " + length + " octets of DATA with a window of " + size);
        }
        size -= length;
    }

    /** Sending: {@code length} octets, at most {@link #size()}, are leaving. */
    public void send(int length) {
        if (length > size) {
            throw new IllegalStateException("sending " + length + " octets with a window of " + size);
        }
        size -= length;
    }

    /**
     * Adds a WINDOW_UPDATE's {@code increment}: the peer's, for a sending window, or the one this server sends, for a
     * receiving window.
     *
     * @throws Http2Exception FLOW_CONTROL_ERROR when the window would exceed 2^31-1 (section 6.9.1): a stream error,
     *                        or a connection error for the connection's window
     */
    public void credit(int increment) throws Http2Exception {
        if (size + increment > Setting.MAX_WINDOW_SIZE) {
            throw error("a WINDOW_UPDATE of " + increment + " would take the window of " + size
                    + " past 2^31-1");
        }
        size += increment;
    }

    /**
     * Applies a change of SETTINGS_INITIAL_WINDOW_SIZE to a stream's window: {@code delta} is the new value minus the
     * old, and the window may become negative (section 6.9.2).
     *
     * @throws ConnectionError FLOW_CONTROL_ERROR when the window would exceed 2^31-1, which section 6.9.2 makes a
     *                         connection error even for a stream
     */
    public void adjust(long delta) throws ConnectionError {
        if (size + delta > Setting.MAX_WINDOW_SIZE) {
            throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE change of "
                    + delta + " takes the window of stream " + streamId + " past 2^31-1");
        }
        size += delta;
    }

    private Http2Exception error(String message) {
        if (streamId == 0) {
            return new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, message + " on the connection");
        }
        return new StreamError(streamId, ErrorCode.FLOW_CONTROL_ERROR, message + " on stream " + streamId);
    }
}
