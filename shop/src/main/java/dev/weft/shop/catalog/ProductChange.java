package dev.weft.shop.catalog;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.weft.shop.web.ApiError;
import dev.weft.shop.web.BodyFields;

/** The body of {@code PUT /products/{id}}: a full replacement of the product's editable fields. */
public record ProductChange(String name, long priceCents, int stock) {
    static final int MAX_NAME_LENGTH = 200;
    /** Ten million in the currency's unit: far above any real price, low enough that totals never overflow. */
    static final long MAX_PRICE_CENTS = 1_000_000_000L;

    /**
     * Reads and validates a request body.
     *
     * @throws ApiError 400 naming every missing, malformed or unknown field
     */
    public static ProductChange from(ObjectNode body) {
        BodyFields fields = new BodyFields(body);
        String name = fields.text("name", MAX_NAME_LENGTH);
        long price = fields.integer("priceCents", 0, MAX_PRICE_CENTS);
        long stock = fields.integer("stock", 0, Integer.MAX_VALUE);
        fields.validate(List.of("name", "priceCents", "stock"));
        return new ProductChange(name, price, (int) stock);
    }
}
