package dev.weft.shop.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The products table: plain JDBC, one statement per method, no caching (that is {@link Catalog}'s job). */
public final class ProductStore {
    public Optional<Product> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, price_cents, stock FROM products WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Product(id, rs.getString(1), rs.getLong(2), rs.getInt(3)))
                        : Optional.empty();
            }
        }
    }

    /** Replaces the product's editable fields; empty when there is no such product. */
    public Optional<Product> update(Connection c, long id, ProductChange change) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE products SET name = ?, price_cents = ?, stock = ? WHERE id = ?")) {
            ps.setString(1, change.name());
            ps.setLong(2, change.priceCents());
            ps.setInt(3, change.stock());
            ps.setLong(4, id);
            return ps.executeUpdate() == 1
                    ? Optional.of(new Product(id, change.name(), change.priceCents(), change.stock()))
                    : Optional.empty();
        }
    }

    /**
     * Takes {@code quantity} out of stock unless that would make it negative; returns whether it did. The guard is in
     * the UPDATE itself, so that concurrent decrements can never oversell.
     */
    public boolean decrementStock(Connection c, long id, int quantity) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?")) {
            ps.setInt(1, quantity);
            ps.setLong(2, id);
            ps.setInt(3, quantity);
            return ps.executeUpdate() == 1;
        }
    }

    public long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM products");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Inserts products in one batch. */
    public void insertAll(Connection c, Iterable<Product> products) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO products (id, name, price_cents, stock) VALUES (?, ?, ?, ?)")) {
            for (Product p : products) {
                ps.setLong(1, p.id());
                ps.setString(2, p.name());
                ps.setLong(3, p.priceCents());
                ps.setInt(4, p.stock());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
