package dev.weft.shop.pages;

import dev.weft.http.Handler;
import dev.weft.shop.web.Json;
import dev.weft.shop.web.PathIds;

/** {@code GET /products/{id}/page}. */
public final class ProductPageRoutes {
    private final ProductPages pages;

    public ProductPageRoutes(ProductPages pages) {
        this.pages = pages;
    }

    /** 200 with the product's page; 404 when there is no such product; 400 for an id that is not a positive integer. */
    public Handler get() {
        return (w, r) -> Json.write(w, 200, pages.get(PathIds.positive(r, "id")));
    }
}
