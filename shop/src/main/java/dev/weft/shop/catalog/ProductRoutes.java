package dev.weft.shop.catalog;

import dev.weft.http.Handler;
import dev.weft.shop.web.Json;
import dev.weft.shop.web.PathIds;

/** {@code GET /products/{id}} and {@code PUT /products/{id}}. */
public final class ProductRoutes {
    private final Catalog catalog;

    public ProductRoutes(Catalog catalog) {
        this.catalog = catalog;
    }

    /** 200 with the product; 404 when there is none; 400 for an id that is not a positive integer. */
    public Handler get() {
        return (w, r) -> Json.write(w, 200, catalog.get(PathIds.positive(r, "id")));
    }

    /** 200 with the updated product; 400 naming each bad field; 404 when there is no such product. */
    public Handler put() {
        return (w, r) -> {
            long id = PathIds.positive(r, "id");
            ProductChange change = ProductChange.from(Json.readObject(r));
            Json.write(w, 200, catalog.update(id, change));
        };
    }
}
