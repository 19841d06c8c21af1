package dev.weft.shop.inventory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import dev.weft.shop.db.Transactions;

/**
 * Fills an empty {@code warehouse_stock} table: each product in about two thirds of the warehouses, with quantities
 * from 0 to 499, a pure function of the ids. One set operation ({@code products} crossed with {@code warehouses}).
 */
public final class StockSeed {
    private StockSeed() {}

    /** Returns how many rows it inserted: none when the table already has some. */
    public static int seedIfEmpty(Transactions db) throws SQLException {
        return db.inTransaction(tx -> {
            try (PreparedStatement ps = tx.connection().prepareStatement("SELECT COUNT(*) FROM warehouse_stock");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return 0;
                }
            }
            try (PreparedStatement ps = tx.connection().prepareStatement("""
                    INSERT INTO warehouse_stock (product_id, warehouse_id, quantity)
                    SELECT p.id, w.id, MOD(p.id * 131 + w.id * 71, 500)
                    FROM products p CROSS JOIN warehouses w
                    WHERE MOD(p.id + w.id, 3) <> 0""")) {
                return ps.executeUpdate();
            }
        });
    }
}
