package dev.weft.shop.inventory;

import dev.weft.shop.db.Tx;
import dev.weft.shop.orders.OrderCreated;
import dev.weft.shop.orders.OrderCreatedConsumer;

/**
 * Confirms an order's stock reservation. The stock itself was taken out in the order's own transaction
 * ({@code Catalog.reserve}, a guarded update that never goes below zero), so that a 409 is exact and an accepted
 * order is never short; decrementing here, after the 201, would let two orders race for the last items and both be
 * accepted. This consumer is where the warehouse side (picking, shipping) starts; the shop records the confirmation
 * in the order's processing record.
 */
public final class InventoryConsumer implements OrderCreatedConsumer {
    @Override
    public String name() {
        return "inventory";
    }

    @Override
    public String apply(Tx tx, OrderCreated event) {
        return "reservation_confirmed";
    }
}
