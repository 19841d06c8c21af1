package dev.weft.events;

import java.util.concurrent.CompletableFuture;

/**
 * Hands events to a transport. The returned future completes when the transport has taken responsibility for the
 * event (RabbitMQ: the broker's publisher confirm; the in-process bus: every subscribed group has it), and
 * completes exceptionally when it has not (a nack, an unroutable return, a lost connection, a timeout). Callers
 * that must not lose the event keep it until the future succeeds: the {@code OutboxRelay} does exactly that.
 *
 * <p>Application code normally does not call this directly: it writes events with {@code Outbox.add} inside its
 * own database transaction, and the relay publishes them.
 *
 * <p>Implementations are thread-safe and do not block waiting for the confirm.
 */
public interface EventPublisher {
    CompletableFuture<Void> publish(Envelope event);
}
