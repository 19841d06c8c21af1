package dev.weft.shop.inventory;

import java.sql.SQLException;

import dev.weft.shop.catalog.Catalog;
import dev.weft.shop.db.Tx;
import dev.weft.shop.orders.OrderCreated;
import dev.weft.shop.orders.OrderCreatedConsumer;

/**
 * Takes an order's quantity out of its product's stock, never below zero: an order that lost the race for the last
 * items is recorded as {@code out_of_stock} and its stock left alone.
 */
public final class InventoryConsumer implements OrderCreatedConsumer {
    private final Catalog catalog;

    public InventoryConsumer(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return "inventory";
    }

    @Override
    public String apply(Tx tx, OrderCreated event) throws SQLException {
        if (!catalog.store().decrementStock(tx.connection(), event.productId(), event.quantity())) {
            return "out_of_stock";
        }
        catalog.changed(tx, event.productId());
        return "stock_decremented";
    }
}
