package dev.weft.shop.reviews;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.weft.shop.web.ApiError;
import dev.weft.shop.web.BodyFields;

/** The body of {@code POST /products/{id}/reviews}. */
public record ReviewRequest(long userId, int rating, String title, String body) {
    static final int MAX_TITLE_LENGTH = 200;
    static final int MAX_BODY_LENGTH = 4000;

    /** @throws ApiError 400 naming every missing, malformed or unknown field */
    public static ReviewRequest from(ObjectNode json) {
        BodyFields fields = new BodyFields(json);
        long userId = fields.positiveId("userId");
        long rating = fields.integer("rating", 1, 5);
        String title = fields.text("title", MAX_TITLE_LENGTH);
        String body = fields.text("body", MAX_BODY_LENGTH);
        fields.validate(List.of("userId", "rating", "title", "body"));
        return new ReviewRequest(userId, (int) rating, title, body);
    }
}
