package dev.weft.shop.reviews;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code reviews} table: plain JDBC, one statement per method, no caching. */
public final class ReviewStore {
    /** How many of the newest reviews a product page shows. */
    public static final int RECENT = 5;

    /** Inserts a review written at {@code at} and returns it with its id. */
    public Review insert(Connection c, long productId, ReviewRequest review, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO reviews (product_id, user_id, rating, title, body,"
                + " created_at) VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, productId);
            ps.setLong(2, review.userId());
            ps.setInt(3, review.rating());
            ps.setString(4, review.title());
            ps.setString(5, review.body());
            ps.setTimestamp(6, Timestamp.from(at));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new Review(keys.getLong(1), productId, review.userId(), review.rating(), review.title(),
                        review.body(), at.toString());
            }
        }
    }

    /**
     * The product's review count, average and ratings (one aggregate over all its reviews) and its newest
     * {@link #RECENT} reviews.
     */
    public ReviewSummary summary(Connection c, long productId) throws SQLException {
        long[] byRating = new long[5];
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT rating, COUNT(*) FROM reviews WHERE product_id = ? GROUP BY rating")) {
            ps.setLong(1, productId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byRating[rs.getInt(1) - 1] = rs.getLong(2);
                }
            }
        }
        long count = 0;
        long stars = 0;
        Map<String, Long> ratings = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            count += byRating[i];
            stars += (i + 1) * byRating[i];
            ratings.put(Integer.toString(i + 1), byRating[i]);
        }
        Double average = count == 0 ? null : Math.round(100.0 * stars / count) / 100.0;
        return new ReviewSummary(count, average, ratings, recent(c, productId));
    }

    private List<Review> recent(Connection c, long productId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, user_id, rating, title, body, created_at"
                + " FROM reviews WHERE product_id = ? ORDER BY created_at DESC, id DESC LIMIT " + RECENT)) {
            ps.setLong(1, productId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Review> reviews = new ArrayList<>(RECENT);
                while (rs.next()) {
                    reviews.add(new Review(rs.getLong(1), productId, rs.getLong(2), rs.getInt(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant().toString()));
                }
                return reviews;
            }
        }
    }

    public long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM reviews");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
