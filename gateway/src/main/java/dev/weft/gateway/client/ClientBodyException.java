package dev.weft.gateway.client;

import java.io.IOException;

/**
 * Reading the client's request body failed while it was being sent upstream: the client's fault (it went away, or
 * its body broke the limits), not the upstream's, so it neither counts against the instance nor becomes a 502.
 */
public final class ClientBodyException extends IOException {
    public ClientBodyException(String message) {
        super(message);
    }

    public ClientBodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
