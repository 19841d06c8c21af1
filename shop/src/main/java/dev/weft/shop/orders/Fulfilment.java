package dev.weft.shop.orders;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import dev.weft.shop.db.Transactions;
import dev.weft.shop.db.Tx;

/**
 * Runs the order consumers, each exactly once per order: {@link #process} in a transaction of the consumer's own
 * (events on: called by the event subscriber), or {@link #processAll} inside the order's transaction (events off).
 *
 * <p>The consumer's change and the row that records it commit together, so that a redelivered event finds the row
 * and changes nothing. A configured delay on one consumer stands for a slow downstream (a mail server, say); it is
 * the load tests' way to show what a slow consumer does to order latency with and without events.
 */
public final class Fulfilment {
    /** SQLSTATE of a unique-key violation, on PostgreSQL and on H2 alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final Transactions db;
    private final OrderStore orders;
    private final List<OrderCreatedConsumer> consumers;
    private final String slowConsumer;
    private final Duration slowDelay;

    /**
     * @param slowConsumer the name of the consumer to slow down, or null for none
     * @param slowDelay    how long that consumer waits before each event
     */
    public Fulfilment(Transactions db, OrderStore orders, List<OrderCreatedConsumer> consumers, String slowConsumer,
                      Duration slowDelay) {
        this.db = db;
        this.orders = orders;
        this.consumers = List.copyOf(consumers);
        this.slowConsumer = slowConsumer;
        this.slowDelay = slowDelay;
    }

    public List<OrderCreatedConsumer> consumers() {
        return consumers;
    }

    /** Runs every consumer inside the order's transaction: the synchronous design, without events. */
    public void processAll(Tx tx, OrderCreated event) throws SQLException {
        for (OrderCreatedConsumer consumer : consumers) {
            delay(consumer);
            apply(tx, consumer, event);
        }
    }

    /**
     * Runs one consumer in its own transaction, unless it has already processed this order.
     *
     * @return false when the event was a duplicate and nothing changed
     */
    public boolean process(OrderCreatedConsumer consumer, OrderCreated event) throws SQLException {
        delay(consumer);
        try {
            return db.inTransaction(tx -> {
                if (orders.isProcessed(tx.connection(), event.orderId(), consumer.name())) {
                    return false;
                }
                apply(tx, consumer, event);
                return true;
            });
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false; // a concurrent delivery of the same event committed first
            }
            throw e;
        }
    }

    private void apply(Tx tx, OrderCreatedConsumer consumer, OrderCreated event) throws SQLException {
        String outcome = consumer.apply(tx, event);
        orders.recordProcessing(tx.connection(), event.orderId(), consumer.name(), outcome);
    }

    private void delay(OrderCreatedConsumer consumer) {
        if (slowDelay.isPositive() && consumer.name().equals(slowConsumer)) {
            try {
                Thread.sleep(slowDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
