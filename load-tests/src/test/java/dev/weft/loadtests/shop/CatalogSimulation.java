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
 * Against the shop with {@code WEFT_CACHE_MODE=off} and {@code redis} it shows what a cache buys on a read that
 * is already cheap (a primary-key lookup): database work, not latency; {@link ProductPageSimulation} is the
 * expensive read.
 */
public final class CatalogSimulation extends Simulation {
    static ChainBuilder read(String prefix) {
        return read(prefix, ProductIds.fromSystemProperties());
    }

    /** Reads of the products {@code ids} draws: 200 with the asked id, or 404 for a missing one. */
    static ChainBuilder read(String prefix, ProductIds ids) {
        return feed(ids).exec(
                doIfOrElse(session -> session.getBoolean("missing"))
                        .then(exec(http(prefix + "product missing").get("/products/#{id}").check(status().is(404))))
                        .orElse(exec(http(prefix + "product").get("/products/#{id}")
                                .check(status().is(200), jsonPath("$.id").ofLong().isEL("#{id}")))));
    }

    {
        Load load = Load.fromSystemProperties();
        setUp(load.inject("catalog", CatalogSimulation::read))
                .protocols(Load.http(ShopTarget.baseUrl()))
                .assertions(load.assertions(ProductIds.fromSystemProperties().requestNames("product", "product missing")));
    }

    @Override
    public void after() {
        ShopTarget.stop();
    }
}
