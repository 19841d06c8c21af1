package dev.weft.loadtests.shop;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.util.concurrent.ThreadLocalRandom;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;

import dev.weft.loadtests.Load;

/**
 * Orders: {@code POST /orders} for a random product (1 to {@code products}) and user (1 to {@code users}, default
 * 1,000), quantity 1, which must answer 201 with the order's id; then {@code GET /orders/{id}}, which must find it.
 * The seed's second claim is this simulation against a shop whose notification consumer is slow
 * ({@code shop.slowConsumerDelay}), once with events off (consumers run inside the request) and once with events
 * on (the request writes the order and its event, and returns).
 */
public final class OrdersSimulation extends Simulation {
    static ChainBuilder order(String prefix) {
        int products = Integer.parseInt(System.getProperty("products", "10000"));
        int users = Integer.parseInt(System.getProperty("users", "1000"));
        return exec(session -> session
                .set("productId", 1 + ThreadLocalRandom.current().nextInt(products))
                .set("userId", 1 + ThreadLocalRandom.current().nextInt(users)))
                .exec(http(prefix + "create order").post("/orders")
                        .header("Content-Type", "application/json")
                        .body(StringBody("{\"productId\":#{productId},\"quantity\":1,\"userId\":#{userId}}"))
                        .check(status().is(201), jsonPath("$.id").saveAs("orderId")))
                .exec(http(prefix + "get order").get("/orders/#{orderId}").check(status().is(200)));
    }

    {
        Load load = Load.fromSystemProperties();
        setUp(load.inject("orders", OrdersSimulation::order))
                .protocols(Load.http(ShopTarget.baseUrl()))
                .assertions(load.assertions("create order", "get order"));
    }

    @Override
    public void after() {
        ShopTarget.stop();
    }
}
