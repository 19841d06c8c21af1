package dev.weft.shop.orders;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.weft.shop.web.ApiError;
import dev.weft.shop.web.BodyFields;

/** The body of {@code POST /orders}. */
public record OrderRequest(long productId, int quantity, long userId) {
    /** One order line's ceiling: a guard against typos such as 10000 for 10, not a business rule. */
    static final int MAX_QUANTITY = 1000;

    /** @throws ApiError 400 naming every missing, malformed or unknown field */
    public static OrderRequest from(ObjectNode body) {
        BodyFields fields = new BodyFields(body);
        long productId = fields.positiveId("productId");
        long quantity = fields.integer("quantity", 1, MAX_QUANTITY);
        long userId = fields.positiveId("userId");
        fields.validate(List.of("productId", "quantity", "userId"));
        return new OrderRequest(productId, (int) quantity, userId);
    }
}
