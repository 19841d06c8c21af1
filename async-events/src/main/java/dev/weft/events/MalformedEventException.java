package dev.weft.events;

/** A message that is not a valid {@link Envelope}; retrying cannot fix it, so it is parked at once. */
public final class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
        super("malformed event: " + message);
    }
}
