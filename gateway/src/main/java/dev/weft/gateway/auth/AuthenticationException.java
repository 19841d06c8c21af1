package dev.weft.gateway.auth;

/**
 * Credentials were present but not valid. {@link #reason()} is a short, stable word for metrics
 * ({@code expired}, {@code bad_signature}, {@code bad_audience}, {@code unknown_key}, ...); the message is for the
 * {@code error_description} of the 401 and the log, and never repeats the credential.
 */
public final class AuthenticationException extends Exception {
    private final String reason;

    public AuthenticationException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
