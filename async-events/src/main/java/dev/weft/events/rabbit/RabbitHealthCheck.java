package dev.weft.events.rabbit;

import dev.weft.health.HealthCheck;

/**
 * Readiness: healthy while the publishing connection (and the consuming one, once consumers exist) is open. It looks
 * at the connections' state only, so it is cheap and never blocks. It fails while the client recovers a lost
 * connection, with a message naming the connection and the broker address.
 */
public final class RabbitHealthCheck implements HealthCheck {
    private final RabbitConnector publishing;
    private final RabbitConnector consuming;
    private final RabbitEvents events;

    RabbitHealthCheck(RabbitEvents events, RabbitConnector publishing, RabbitConnector consuming) {
        this.events = events;
        this.publishing = publishing;
        this.consuming = consuming;
    }

    @Override
    public void check() throws Exception {
        if (!publishing.isOpen()) {
            throw new IllegalStateException("RabbitMQ: " + publishing.problem());
        }
        if (events.hasSubscriptions() && !consuming.isOpen()) {
            throw new IllegalStateException("RabbitMQ: " + consuming.problem());
        }
    }
}
