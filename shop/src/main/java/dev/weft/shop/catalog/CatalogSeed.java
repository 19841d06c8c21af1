package dev.weft.shop.catalog;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.weft.shop.db.Transactions;

/**
 * Fills an empty catalog at first start, so that the service and its load tests have products to read and order.
 *
 * <p>The products are a pure function of their id (names {@code Product 1..n}, prices spread from 1.00 to 999.99),
 * so that every run and every database sees the same catalog.
 */
public final class CatalogSeed {
    /**
     * Stock per seeded product: enough that a long load test of orders does not run out, so that 409s in a run mean
     * a test that set a product's stock low on purpose.
     */
    public static final int SEED_STOCK = 1_000_000;

    private CatalogSeed() {}

    /** Inserts products 1 to {@code count} when the table is empty, all in one transaction; returns how many. */
    public static int seedIfEmpty(Transactions db, ProductStore store, int count) throws SQLException {
        return db.inTransaction(tx -> {
            if (store.count(tx.connection()) > 0) {
                return 0;
            }
            List<Product> products = new ArrayList<>(count);
            for (long id = 1; id <= count; id++) {
                products.add(new Product(id, "Product " + id, 100 + (id * 7919) % 99_900, SEED_STOCK));
            }
            store.insertAll(tx.connection(), products);
            return count;
        });
    }
}
