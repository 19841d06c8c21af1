package dev.weft.events.rabbit;

/** A publish the broker did not take: nacked, returned as unroutable, not confirmed in time, or cut off. */
public final class PublishException extends RuntimeException {
    public PublishException(String message) {
        super(message);
    }

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
