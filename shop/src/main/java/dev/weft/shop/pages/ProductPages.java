package dev.weft.shop.pages;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.weft.cache.Cache;
import dev.weft.shop.catalog.Catalog;
import dev.weft.shop.catalog.Product;
import dev.weft.shop.catalog.ProductStore;
import dev.weft.shop.db.Transactions;
import dev.weft.shop.inventory.WarehouseStockStore;
import dev.weft.shop.reviews.ReviewStore;
import dev.weft.shop.web.ApiError;

/**
 * Product pages through their cache ({@code cache.caches.productPages}). An uncached page is built the way a shop
 * builds it, on one pooled connection: the product, its review summary (an aggregate over all its reviews, and the
 * newest few), its stock in each warehouse, and "customers who reviewed this also reviewed" (its reviewers' other
 * reviews, counted by product). On a large reviews table that is tens of milliseconds of database work (see
 * load-tests' README), which is what the cache saves.
 *
 * <p>A page is invalidated after the commit of anything it shows: the product or its stock ({@link Catalog}), a
 * review ({@code Reviews}). The related products' own names and prices are not followed (nor are the other
 * reviewers' reviews): they are as fresh as the page's TTL. A missing product is cached as the null marker, like
 * {@code GET /products/{id}}'s 404.
 */
public final class ProductPages {
    /** How many related products a page shows. */
    public static final int RELATED = 8;

    private final Transactions db;
    private final ProductStore products;
    private final ReviewStore reviews;
    private final WarehouseStockStore stock;
    private final Cache<Long, ProductPage> cache;

    public ProductPages(Transactions db, ProductStore products, ReviewStore reviews, WarehouseStockStore stock,
                        Cache<Long, ProductPage> cache) {
        this.db = db;
        this.products = products;
        this.reviews = reviews;
        this.stock = stock;
        this.cache = cache;
    }

    /** @throws ApiError 404 when there is no such product */
    public ProductPage get(long id) {
        ProductPage page = cache.get(id, this::load);
        if (page == null) {
            throw Catalog.notFound(id);
        }
        return page;
    }

    private ProductPage load(long id) throws SQLException {
        return db.read(c -> {
            Optional<Product> product = products.find(c, id);
            if (product.isEmpty()) {
                return null;
            }
            return new ProductPage(product.get(), reviews.summary(c, id), stock.byProduct(c, id), related(c, id));
        });
    }

    /** The products most of this product's reviewers also reviewed, with how many did; ties by id. */
    private static List<RelatedProduct> related(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT p.id, p.name, p.price_cents, x.reviewers FROM (
                    SELECT other.product_id, COUNT(*) AS reviewers
                    FROM reviews mine JOIN reviews other
                        ON other.user_id = mine.user_id AND other.product_id <> mine.product_id
                    WHERE mine.product_id = ?
                    GROUP BY other.product_id
                    ORDER BY reviewers DESC, other.product_id
                    LIMIT %d) x
                JOIN products p ON p.id = x.product_id
                ORDER BY x.reviewers DESC, p.id""".formatted(RELATED))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                List<RelatedProduct> related = new ArrayList<>(RELATED);
                while (rs.next()) {
                    related.add(new RelatedProduct(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
                return related;
            }
        }
    }
}
