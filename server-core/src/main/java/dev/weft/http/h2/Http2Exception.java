package dev.weft.http.h2;

/**
 * A violation of HTTP/2 by the peer: a {@link ConnectionError}, answered with GOAWAY and the end of the connection
 * (RFC 9113 section 5.4.1), or a {@link StreamError}, answered with RST_STREAM on that stream while the connection
 * carries on (section 5.4.2). {@link #code()} is the error code to send and the message says what was wrong, for the
 * GOAWAY debug data and the log.
 *
 * <p>No stack trace is captured: a misbehaving peer is expected traffic, not a programming error, and must not be
 * able to make the server spend time walking stacks.
 */
public abstract sealed class Http2Exception extends Exception permits ConnectionError, StreamError {
    private final ErrorCode code;

    Http2Exception(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public final ErrorCode code() {
        return code;
    }
}
