package dev.weft.http.codec;

/**
 * A message the codec refuses. {@link #status()} is the HTTP status to answer with: for a request, what the server
 * answers (400, 414, 417, 431, 501 or 505); for a response, 502, what a proxy answers its own client. The message
 * says what was wrong, for the response body and the log.
 *
 * <p>No stack trace is captured: malformed input is expected traffic, not a programming error, and an attacker
 * should not be able to make the server spend time walking stacks.
 */
public final class ParseException extends Exception {
    private final int status;

    public ParseException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
