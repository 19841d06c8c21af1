package dev.weft.shop.users;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** The points credited to users, one row per order. */
public final class PointsLedger {
    public void credit(Connection c, long orderId, long userId, long points) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO points_credits (order_id, user_id, points, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, orderId);
            ps.setLong(2, userId);
            ps.setLong(3, points);
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    /** The user's balance: 0 for a user who has never been credited. */
    public long balance(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(SUM(points), 0) FROM points_credits WHERE user_id = ?")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
