package dev.weft.loadtests.shop;

import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;

import dev.weft.loadtests.Load;

/**
 * Catalog reads in an open model: {@code GET /products/{id}} with skewed ids and a share of missing ones
 * ({@link ProductIds}). A present id must answer 200 with its own id; a missing one 404, which the shop caches.
 * The seed's first claim (cache off against cache on) is this simulation run twice, against the shop with
 * {@code cache.enabled} false and true.
 */
public final class CatalogSimulation extends Simulation {
    static ChainBuilder read(String prefix) {
        return feed(ProductIds.fromSystemProperties()).exec(
                doIfOrElse(session -> session.getBoolean("missing"))
                        .then(exec(http(prefix + "product missing").get("/products/#{id}").check(status().is(404))))
                        .orElse(exec(http(prefix + "product").get("/products/#{id}")
                                .check(status().is(200), jsonPath("$.id").ofLong().isEL("#{id}")))));
    }

    {
        Load load = Load.fromSystemProperties();
        setUp(load.inject("catalog", CatalogSimulation::read))
                .protocols(Load.http(ShopTarget.baseUrl()))
                .assertions(load.assertions("product", "product missing"));
    }

    @Override
    public void after() {
        ShopTarget.stop();
    }
}
