package dev.weft.http;

import java.io.IOException;

/**
 * A request body that cannot be read: too large (413), malformed chunked framing or cut short (400), or too slow
 * (408). A handler that lets it escape before committing its response gets that status instead of a 500; the
 * connection is closed either way, since the rest of the stream cannot be trusted.
 */
public final class RequestBodyException extends IOException {
    private final int status;

    public RequestBodyException(int status, String message) {
        super(message);
        this.status = status;
    }

    public RequestBodyException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The status the server answers with if the handler has not committed a response. */
    public int status() {
        return status;
    }
}
