package dev.weft.http.h2;

/**
 * An error that ends the connection (RFC 9113 section 5.4.1): the server sends GOAWAY with {@link #code()} and the
 * last stream it processed, then closes the transport.
 */
public final class ConnectionError extends Http2Exception {
    public ConnectionError(ErrorCode code, String message) {
        super(code, message);
    }

    @Override
    public String toString() {
        return "connection error " + code() + ": " + getMessage();
    }
}
