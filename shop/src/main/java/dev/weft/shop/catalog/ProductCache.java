package dev.weft.shop.catalog;

import java.util.Optional;

/** The catalog's view of a read-through cache of products by id; absent products are cached too. */
public interface ProductCache {
    /** The product, from the cache or else from {@code loader}, whose answer (found or absent) is cached. */
    Optional<Product> get(long id, Loader loader) throws Exception;

    void invalidate(long id);

    @FunctionalInterface
    interface Loader {
        Optional<Product> load(long id) throws Exception;
    }
}
