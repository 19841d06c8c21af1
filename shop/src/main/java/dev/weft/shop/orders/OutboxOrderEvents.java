package dev.weft.shop.orders;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.weft.events.Envelope;
import dev.weft.events.EventSubscriber;
import dev.weft.events.Subscription;
import dev.weft.events.outbox.Outbox;
import dev.weft.shop.db.Tx;
import dev.weft.shop.web.Json;

/**
 * Events on: an order's {@link OrderCreated} goes into the outbox in the order's transaction, the outbox relay
 * publishes it, and each consumer processes it in a consumer group of its own, in a transaction of its own.
 *
 * <p>Delivery is at-least-once; {@link Fulfilment#process} makes each consumer's effect exactly-once. An event of a
 * payload version this code does not know throws, so the transport retries and then parks it rather than
 * misreading it.
 */
public final class OutboxOrderEvents implements OrderEvents {
    /** The payload's schema version; bump it when {@link OrderCreated} changes shape. */
    static final int VERSION = 1;

    private final Outbox outbox;
    private final Fulfilment fulfilment;

    public OutboxOrderEvents(Outbox outbox, Fulfilment fulfilment) {
        this.outbox = outbox;
        this.fulfilment = fulfilment;
    }

    @Override
    public void orderCreated(Tx tx, OrderCreated event) throws SQLException {
        outbox.add(tx.connection(), Envelope.of(OrderCreated.TYPE, VERSION, Json.MAPPER.valueToTree(event),
                "order-" + event.orderId()));
    }

    /** Subscribes one consumer group per consumer, named after it; close the subscriptions to stop consuming. */
    public List<Subscription> subscribe(EventSubscriber subscriber) {
        List<Subscription> subscriptions = new ArrayList<>();
        for (OrderCreatedConsumer consumer : fulfilment.consumers()) {
            subscriptions.add(subscriber.subscribe(consumer.name(), List.of(OrderCreated.TYPE),
                    envelope -> fulfilment.process(consumer, decode(envelope))));
        }
        return subscriptions;
    }

    static OrderCreated decode(Envelope envelope) throws Exception {
        if (envelope.version() != VERSION) {
            throw new IllegalArgumentException("OrderCreated version " + envelope.version() + " is unknown here (this"
                    + " consumer reads version " + VERSION + ")");
        }
        return Json.MAPPER.treeToValue(envelope.payload(), OrderCreated.class);
    }
}
