package dev.weft.shop.reviews;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.shop.db.Transactions;

/**
 * Fills an empty {@code reviews} table with {@code reviewsPerProduct} reviews of every product, so that a product
 * page has a real amount of data behind it: the load tests' claims use hundreds a product, millions in all.
 *
 * <p>The rows are made by the database, with set operations ({@code generate_series} crossed with {@code products},
 * the same SQL on PostgreSQL and H2), not sent row by row. They are a pure function of the product id and the
 * review's number, like the products themselves, so every run sees the same data:
 * <ul>
 *   <li>reviews arrive over two years, round after round across all products, and are inserted in that order: a
 *       product's reviews are spread over the table, as in a shop that has been selling for a while, not stored
 *       together;</li>
 *   <li>the customers fall into groups, one per {@value #PRODUCTS_PER_GROUP} consecutive products (a category), of
 *       {@code 4 × reviewsPerProduct} customers each; every customer reviews about a quarter of the group's products,
 *       at most once each, so "customers who reviewed this also reviewed" finds the product's neighbours;</li>
 *   <li>ratings lean to 4 and 5 stars, by a product-dependent amount, so averages differ between products.</li>
 * </ul>
 */
public final class ReviewSeed {
    private static final Logger log = LoggerFactory.getLogger(ReviewSeed.class);

    /**
     * The most reviews a product can be seeded with: a product's reviewers are distinct customers because the seed
     * steps through its group's {@code 4 × reviewsPerProduct} customers by 7919, a prime, which shares no factor with
     * that number below it.
     */
    public static final int MAX_REVIEWS_PER_PRODUCT = 7918;
    /** Products per group of customers (a category). */
    static final int PRODUCTS_PER_GROUP = 100;
    /** The seeded reviews span this many seconds (two years from 2024-01-01). */
    private static final long SPAN_SECONDS = 2 * 365 * 86_400L;
    /** Rows per INSERT: a few seconds each, so that a large seed reports progress. */
    private static final long ROWS_PER_STATEMENT = 100_000;
    /**
     * The read timeout of the seed's own connection. The pool's ({@code db.socketTimeout}, 30 s by default) is sized
     * for requests; a bulk load and the VACUUM after it are maintenance, and on a busy machine a statement of it may
     * take longer. The pool resets the timeout when the connection comes back.
     */
    private static final int SEED_READ_TIMEOUT_MILLIS = 30 * 60 * 1000;

    private static final String INSERT = """
            INSERT INTO reviews (product_id, user_id, rating, title, body, created_at)
            SELECT p.id,
                   ((p.id - 1) / %1$d) * ? + MOD(p.id * 31 + g.n * 7919, ?) + 1,
                   CASE WHEN MOD(p.id * 37 + g.n * 101, 100) < 3 + MOD(p.id, 5) THEN 1
                        WHEN MOD(p.id * 37 + g.n * 101, 100) < 8 + 2 * MOD(p.id, 5) THEN 2
                        WHEN MOD(p.id * 37 + g.n * 101, 100) < 18 + 3 * MOD(p.id, 5) THEN 3
                        WHEN MOD(p.id * 37 + g.n * 101, 100) < 45 + 3 * MOD(p.id, 5) THEN 4
                        ELSE 5 END,
                   'Review ' || g.n || ' of product ' || p.id,
                   'Arrived on time and does what it says. Review ' || g.n || ' of product ' || p.id
                       || ': would buy again, though the packaging could use less plastic.',
                   TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00'
                       + (g.n * ? + MOD(p.id * 17, 3600)) * INTERVAL '1' SECOND
            FROM generate_series(?, ?) AS g(n) CROSS JOIN products p
            ORDER BY g.n, p.id
            """.formatted(PRODUCTS_PER_GROUP);

    private ReviewSeed() {}

    /**
     * Inserts {@code reviewsPerProduct} reviews of each product when there are no reviews at all, in one
     * transaction; returns how many. On PostgreSQL the table is then vacuumed and analysed, as after any bulk load,
     * so that the planner knows its size and index-only scans work from the first request.
     */
    public static long seedIfEmpty(Transactions db, ReviewStore store, int reviewsPerProduct) throws SQLException {
        if (reviewsPerProduct == 0) {
            return 0;
        }
        long inserted = db.inTransaction(tx -> {
            Connection c = tx.connection();
            c.setNetworkTimeout(Runnable::run, SEED_READ_TIMEOUT_MILLIS);
            if (store.count(c) > 0) {
                return 0L;
            }
            long products = countProducts(c);
            long total = products * reviewsPerProduct;
            int roundsPerStatement = (int) Math.max(1, ROWS_PER_STATEMENT / Math.max(1, products));
            long rows = 0;
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (int from = 1; from <= reviewsPerProduct; from += roundsPerStatement) {
                    int to = Math.min(reviewsPerProduct, from + roundsPerStatement - 1);
                    ps.setLong(1, 4L * reviewsPerProduct);
                    ps.setLong(2, 4L * reviewsPerProduct);
                    ps.setLong(3, SPAN_SECONDS / reviewsPerProduct);
                    ps.setInt(4, from);
                    ps.setInt(5, to);
                    rows += ps.executeUpdate();
                    if (to < reviewsPerProduct) {
                        log.info("reviews: {} of {} seeded", rows, total);
                    }
                }
            }
            return rows;
        });
        if (inserted > 0) {
            db.read(c -> {
                if ("PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
                    c.setNetworkTimeout(Runnable::run, SEED_READ_TIMEOUT_MILLIS);
                    try (Statement s = c.createStatement()) {
                        s.execute("VACUUM (ANALYZE) reviews, warehouse_stock");
                    }
                }
                return null;
            });
        }
        return inserted;
    }

    private static long countProducts(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM products")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
