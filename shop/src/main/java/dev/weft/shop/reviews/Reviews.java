package dev.weft.shop.reviews;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.weft.cache.Cache;
import dev.weft.shop.catalog.Catalog;
import dev.weft.shop.catalog.ProductStore;
import dev.weft.shop.db.Transactions;
import dev.weft.shop.web.ApiError;

/** Writing reviews: a new review changes its product's page, whose cache entry goes once the review commits. */
public final class Reviews {
    private static final String UNIQUE_VIOLATION = "23505";

    private final Transactions db;
    private final ReviewStore store;
    private final ProductStore products;
    private final Cache<Long, ?> pages;
    private final Clock clock;

    /** @param pages the cache of product pages, which show a product's reviews */
    public Reviews(Transactions db, ReviewStore store, ProductStore products, Cache<Long, ?> pages, Clock clock) {
        this.db = db;
        this.store = store;
        this.products = products;
        this.pages = pages;
        this.clock = clock;
    }

    /**
     * Adds a review of product {@code productId}.
     *
     * @throws ApiError 404 when there is no such product; 409 when this user has already reviewed it
     */
    public Review add(long productId, ReviewRequest request) throws SQLException {
        try {
            return db.inTransaction(tx -> {
                if (products.find(tx.connection(), productId).isEmpty()) {
                    throw Catalog.notFound(productId);
                }
                // Microseconds: what both databases keep, so the review returned is the one a page shows later.
                Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
                Review review = store.insert(tx.connection(), productId, request, at);
                tx.afterCommit(() -> pages.invalidate(productId));
                return review;
            });
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw ApiError.conflict("user " + request.userId() + " has already reviewed product " + productId);
            }
            throw e;
        }
    }
}
