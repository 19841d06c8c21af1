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
 * Product pages in an open model: {@code GET /products/{id}/page} with skewed ids ({@link ProductIds}: Zipf with
 * exponent {@code skew} over {@code products}; no missing ids unless {@code missingShare} says so). A page must answer
 * 200 with its product's id, a missing one 404. The seed's first claim, "cache on and off on a read that is really expensive", is this
 * simulation against the shop seeded by {@code shop/config/claims.yaml}, with {@code WEFT_CACHE_MODE=off} against
 * {@code redis}; at a high rate with the cache on, it is also the allocation-heavy load of the GC claim (every
 * answer serialises a page of a few kilobytes).
 */
public final class ProductPageSimulation extends Simulation {
    private static ProductIds ids() {
        return ProductIds.fromSystemProperties(0, 1_000_000);
    }

    static ChainBuilder page(String prefix) {
        return feed(ids()).exec(
                doIfOrElse(session -> session.getBoolean("missing"))
                        .then(exec(http(prefix + "product page missing").get("/products/#{id}/page")
                                .check(status().is(404))))
                        .orElse(exec(http(prefix + "product page").get("/products/#{id}/page")
                                .check(status().is(200), jsonPath("$.product.id").ofLong().isEL("#{id}")))));
    }

    {
        Load load = Load.fromSystemProperties();
        setUp(load.inject("product page", ProductPageSimulation::page))
                .protocols(Load.http(ShopTarget.baseUrl()))
                .assertions(load.assertions(ids().requestNames("product page", "product page missing")));
    }

    @Override
    public void after() {
        ShopTarget.stop();
    }
}
