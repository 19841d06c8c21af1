package dev.weft.gateway.client;

import java.io.IOException;

import dev.weft.http.codec.ParseException;

/**
 * An upstream sent bytes that are not a valid HTTP/1.1 response: the gateway closes the connection and, when nothing
 * reached the client yet, answers 502.
 */
public final class MalformedResponseException extends IOException {
    public MalformedResponseException(String message) {
        super(message);
    }

    /** The codec refused the response; its message says why. */
    public MalformedResponseException(ParseException e) {
        super("malformed upstream response: " + e.getMessage(), e);
    }
}
