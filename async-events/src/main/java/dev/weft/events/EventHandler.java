package dev.weft.events;

/**
 * Handles one event for one consumer group. Return normally and the event is acknowledged; throw and it is retried
 * after the configured backoff, then parked. Delivery is at-least-once, so a handler must be idempotent: wrap it in
 * {@code JdbcIdempotentHandler} to have each event id processed once per group, in the handler's own transaction.
 *
 * <p>Each call runs on its own virtual thread, so a handler may block on I/O.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(Envelope event) throws Exception;
}
