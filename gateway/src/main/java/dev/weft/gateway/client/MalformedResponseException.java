package dev.weft.gateway.client;

import java.io.IOException;

/** An upstream sent bytes that are not a valid HTTP/1.1 response. */
public final class MalformedResponseException extends IOException {
    public MalformedResponseException(String message) {
        super(message);
    }
}
