package dev.weft.shop.catalog;

import java.sql.SQLException;

import dev.weft.cache.Cache;
import dev.weft.shop.db.Transactions;
import dev.weft.shop.db.Tx;
import dev.weft.shop.web.ApiError;

/**
 * Product reads and writes. Reads go through the cache; writes go to the database and invalidate the product's cache
 * entry, and its product page's, once they have committed.
 *
 * <p>A missing product is cached too (the cache's null marker, for its {@code nullTtl}), so that lookups of ids that
 * do not exist stop reaching the database.
 */
public final class Catalog {
    private final Transactions db;
    private final ProductStore store;
    private final Cache<Long, Product> cache;
    private final Cache<Long, ?> pages;

    /**
     * @param cache the product cache (with {@code cache.mode: off}, one that asks the database every time)
     * @param pages the cache of product pages, which show the product and its stock
     */
    public Catalog(Transactions db, ProductStore store, Cache<Long, Product> cache, Cache<Long, ?> pages) {
        this.db = db;
        this.store = store;
        this.cache = cache;
        this.pages = pages;
    }

    public ProductStore store() {
        return store;
    }

    /** @throws ApiError 404 when there is no such product */
    public Product get(long id) throws Exception {
        Product product = cache.get(id, this::load);
        if (product == null) {
            throw notFound(id);
        }
        return product;
    }

    /** Replaces a product's editable fields. @throws ApiError 404 when there is no such product */
    public Product update(long id, ProductChange change) throws Exception {
        return db.inTransaction(tx -> {
            Product updated = store.update(tx.connection(), id, change).orElseThrow(() -> notFound(id));
            changed(tx, id);
            return updated;
        });
    }

    /**
     * Takes {@code quantity} out of the product's stock inside {@code tx}, unless that would make it negative, and
     * invalidates its cache entry once {@code tx} commits.
     *
     * @return false when the stock is short or there is no such product; nothing changed then
     */
    public boolean reserve(Tx tx, long id, int quantity) throws SQLException {
        if (!store.decrementStock(tx.connection(), id, quantity)) {
            return false;
        }
        changed(tx, id);
        return true;
    }

    /** Invalidates the product's cache entries once {@code tx}, which changed the product, has committed. */
    public void changed(Tx tx, long id) {
        tx.afterCommit(() -> {
            cache.invalidate(id);
            pages.invalidate(id);
        });
    }

    public static ApiError notFound(long id) {
        return ApiError.notFound("product " + id + " not found");
    }

    private Product load(long id) throws Exception {
        return db.read(c -> store.find(c, id)).orElse(null);
    }
}
