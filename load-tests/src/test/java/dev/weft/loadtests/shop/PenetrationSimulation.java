package dev.weft.loadtests.shop;

import io.gatling.javaapi.core.Simulation;

import dev.weft.loadtests.Load;

/**
 * Cache penetration: catalog reads ({@code GET /products/{id}}, as {@link CatalogSimulation}) of which a large share,
 * {@code missingShare} (default 0.3), asks for ids that exist nowhere, drawn from {@code missingIds} distinct ones
 * (default 1,000: a scraper's list, stale links), so that the same missing ids come back again and again. Every
 * present id must answer 200, every missing one 404.
 *
 * <p>The seed's third claim is this simulation with null caching on (the cache's default {@code nullTtl}) and off
 * ({@code WEFT_CACHE_CACHES_PRODUCTS_NULL_TTL=0s}): with it off, every read of a missing id is a database query;
 * with it on, one per missing id per {@code nullTtl}. The chart that shows it is the run page's database work per
 * second (connection borrows, cache loads).
 */
public final class PenetrationSimulation extends Simulation {
    {
        Load load = Load.fromSystemProperties();
        setUp(load.inject("penetration", prefix -> CatalogSimulation.read(prefix, ids())))
                .protocols(Load.http(ShopTarget.baseUrl()))
                .assertions(load.assertions(ids().requestNames("product", "product missing")));
    }

    private static ProductIds ids() {
        return ProductIds.fromSystemProperties(0.3, 1000);
    }

    @Override
    public void after() {
        ShopTarget.stop();
    }
}
