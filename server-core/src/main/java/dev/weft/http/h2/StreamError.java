package dev.weft.http.h2;

/**
 * An error confined to one stream (RFC 9113 section 5.4.2): the server sends RST_STREAM with {@link #code()} on
 * {@link #streamId()} and keeps serving the connection's other streams. Section 5.4.1 allows treating any stream
 * error as a connection error, for a peer that provokes too many of them.
 */
public final class StreamError extends Http2Exception {
    private final int streamId;

    public StreamError(int streamId, ErrorCode code, String message) {
        super(code, message);
        this.streamId = streamId;
    }

    public int streamId() {
        return streamId;
    }

    @Override
    public String toString() {
        return "stream error " + code() + " on stream " + streamId + ": " + getMessage();
    }
}
