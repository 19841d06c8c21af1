package dev.weft.shop.reviews;

import dev.weft.http.Handler;
import dev.weft.shop.web.Json;
import dev.weft.shop.web.PathIds;

/** {@code POST /products/{id}/reviews}. */
public final class ReviewRoutes {
    private final Reviews reviews;

    public ReviewRoutes(Reviews reviews) {
        this.reviews = reviews;
    }

    /** 201 with the review; 400 naming each bad field; 404 for an unknown product; 409 for a second review. */
    public Handler post() {
        return (w, r) -> {
            long productId = PathIds.positive(r, "id");
            Json.write(w, 201, reviews.add(productId, ReviewRequest.from(Json.readObject(r))));
        };
    }
}
