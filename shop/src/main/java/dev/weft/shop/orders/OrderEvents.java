package dev.weft.shop.orders;

import java.sql.SQLException;

import dev.weft.shop.db.Tx;

/**
 * Where an accepted order's {@link OrderCreated} goes, inside the order's transaction: into the outbox for the
 * consumers to process later (events on), or straight through the consumers (events off, {@link
 * Fulfilment#processAll}). Either way it commits or rolls back with the order.
 */
@FunctionalInterface
public interface OrderEvents {
    void orderCreated(Tx tx, OrderCreated event) throws SQLException;
}
