package dev.weft.shop.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The orders table and the record of which consumers have processed each order. */
public final class OrderStore {
    /** What one consumer did with one order. */
    public record Processing(String outcome, Instant processedAt) {}

    /** Inserts the order and returns it with its generated id. */
    public Order insert(Connection c, long productId, long userId, int quantity, long totalCents) throws SQLException {
        Instant now = Instant.now();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO orders (product_id, user_id, quantity, total_cents, created_at) VALUES (?, ?, ?, ?, ?)",
                new String[] {"id"})) {
            ps.setLong(1, productId);
            ps.setLong(2, userId);
            ps.setInt(3, quantity);
            ps.setLong(4, totalCents);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new Order(keys.getLong(1), productId, userId, quantity, totalCents, now);
            }
        }
    }

    public Optional<Order> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT product_id, user_id, quantity, total_cents, created_at FROM orders WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Order(id, rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getLong(4),
                                rs.getTimestamp(5).toInstant()))
                        : Optional.empty();
            }
        }
    }

    /** The consumers that have processed order {@code id}, by name. */
    public Map<String, Processing> processing(Connection c, long orderId) throws SQLException {
        Map<String, Processing> done = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT consumer, outcome, processed_at FROM order_processing WHERE order_id = ?")) {
            ps.setLong(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    done.put(rs.getString(1), new Processing(rs.getString(2), rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return done;
    }

    public boolean isProcessed(Connection c, long orderId, String consumer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM order_processing WHERE order_id = ? AND consumer = ?")) {
            ps.setLong(1, orderId);
            ps.setString(2, consumer);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records that {@code consumer} processed the order; a second record for the pair violates the primary key. */
    public void recordProcessing(Connection c, long orderId, String consumer, String outcome) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO order_processing (order_id, consumer, outcome, processed_at) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, orderId);
            ps.setString(2, consumer);
            ps.setString(3, outcome);
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }
}
