package dev.weft.shop.users;

import java.sql.SQLException;

import dev.weft.shop.db.Tx;
import dev.weft.shop.orders.OrderCreated;
import dev.weft.shop.orders.OrderCreatedConsumer;

/** Credits the buyer one point per whole currency unit of the order's total. */
public final class PointsConsumer implements OrderCreatedConsumer {
    private final PointsLedger ledger;

    public PointsConsumer(PointsLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return "points";
    }

    @Override
    public String apply(Tx tx, OrderCreated event) throws SQLException {
        long points = event.totalCents() / 100;
        ledger.credit(tx.connection(), event.orderId(), event.userId(), points);
        return "credited_" + points;
    }
}
