package dev.weft.shop.orders;

import java.sql.SQLException;

import dev.weft.shop.db.Tx;

/**
 * One downstream reaction to an order: inventory, points, notification. It makes its change inside the transaction
 * it is given, which also records that it processed the order, so that a redelivered event is never applied twice.
 */
public interface OrderCreatedConsumer {
    /** A short stable name: the consumer group, and the key in {@code GET /orders/{id}}'s {@code consumers}. */
    String name();

    /** Applies the event and returns a short outcome for the order's record, such as {@code credited_12}. */
    String apply(Tx tx, OrderCreated event) throws SQLException;
}
