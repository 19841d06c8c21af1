package dev.weft.shop.notifications;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import dev.weft.shop.db.Tx;
import dev.weft.shop.orders.OrderCreated;
import dev.weft.shop.orders.OrderCreatedConsumer;

/**
 * Records the message that tells the buyer the order is confirmed. Sending it (mail, push) is out of scope; the
 * configurable consumer delay stands for that slow call in the load tests.
 */
public final class NotificationConsumer implements OrderCreatedConsumer {
    @Override
    public String name() {
        return "notification";
    }

    @Override
    public String apply(Tx tx, OrderCreated event) throws SQLException {
        try (PreparedStatement ps = tx.connection().prepareStatement(
                "INSERT INTO notifications (order_id, user_id, message, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, event.orderId());
            ps.setLong(2, event.userId());
            ps.setString(3, "Order " + event.orderId() + " confirmed: " + event.quantity() + " x product "
                    + event.productId() + ", total " + event.totalCents() / 100 + "." + String.format("%02d",
                    event.totalCents() % 100));
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
        return "message_recorded";
    }
}
