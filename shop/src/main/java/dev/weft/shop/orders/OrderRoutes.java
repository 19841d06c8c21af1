package dev.weft.shop.orders;

import java.util.Map;

import dev.weft.http.Handler;
import dev.weft.shop.web.Json;
import dev.weft.shop.web.PathIds;

/** {@code POST /orders} and {@code GET /orders/{id}}. */
public final class OrderRoutes {
    private final OrderService service;

    public OrderRoutes(OrderService service) {
        this.service = service;
    }

    /** 201 with {@code {"id": n}} and a Location header; 400 naming each bad field; 404; 409 for short stock. */
    public Handler post() {
        return (w, r) -> {
            Order order = service.place(OrderRequest.from(Json.readObject(r)));
            w.headers().set("Location", "/orders/" + order.id());
            Json.write(w, 201, Map.of("id", order.id()));
        };
    }

    /** 200 with the order and its consumers' progress; 404 when there is no such order. */
    public Handler get() {
        return (w, r) -> Json.write(w, 200, service.describe(PathIds.positive(r, "id")));
    }
}
