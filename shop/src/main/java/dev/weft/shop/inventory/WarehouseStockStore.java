package dev.weft.shop.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code warehouse_stock} table: where a product's items physically are. */
public final class WarehouseStockStore {
    /** The warehouses that stock the product, in the warehouses' order; empty for a product stocked nowhere. */
    public List<WarehouseStock> byProduct(Connection c, long productId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT w.name, s.quantity FROM warehouse_stock s"
                + " JOIN warehouses w ON w.id = s.warehouse_id WHERE s.product_id = ? ORDER BY w.id")) {
            ps.setLong(1, productId);
            try (ResultSet rs = ps.executeQuery()) {
                List<WarehouseStock> stock = new ArrayList<>();
                while (rs.next()) {
                    stock.add(new WarehouseStock(rs.getString(1), rs.getInt(2)));
                }
                return stock;
            }
        }
    }
}
