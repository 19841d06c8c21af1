package dev.weft.events;

/** One consumer group's running consumer. */
public interface Subscription extends AutoCloseable {
    String group();

    /**
     * Stops taking new events, waits up to the configured stop timeout for the handlers in flight to finish and be
     * acknowledged, then releases the consumer. Events not acknowledged by then are redelivered later (to this or
     * another instance), never lost. Idempotent.
     */
    @Override
    void close();
}
