package dev.weft.loadtests.shop;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;

import dev.weft.loadtests.Load;

/**
 * Cache avalanche: many keys written together, then read steadily across their expiry. The warm-up reads each of
 * the product pages 1 to {@code keys} (default 1,000) once, all of them within {@code warmup} seconds (at once for
 * 0), so that their cache entries are written together, as after a deploy or a cache flush; then the measured
 * phase reads pages of the same ids, uniformly at random, at {@code rate} per second for {@code duration} seconds.
 * Every page must answer 200 with its product's id.
 *
 * <p>Run it against a shop whose product pages live a short time, {@code WEFT_CACHE_CACHES_PRODUCT_PAGES_TTL=30s}, so
 * that several expiries fall inside the run; the seed's second claim is the pair with the jitter off
 * ({@code WEFT_CACHE_CACHES_PRODUCT_PAGES_TTL_JITTER=0s}: every entry expires within the warm-up's few seconds of
 * each other, and the reloads come back together each TTL) and on (the default: expiries spread over the jitter).
 * The run page's database work per second (connection borrows and cache loads) shows it: spikes without jitter, a
 * low flat line with it. A key read every {@code keys / rate} seconds is reloaded soon after it expires; for the
 * spikes to be sharp, read each key about once a second or more.
 */
public final class AvalancheSimulation extends Simulation {
    private static ChainBuilder page(String prefix, Iterator<Map<String, Object>> ids) {
        return feed(ids).exec(http(prefix + "product page").get("/products/#{id}/page")
                .check(status().is(200), jsonPath("$.product.id").ofLong().isEL("#{id}")));
    }

    {
        Load load = Load.fromSystemProperties();
        int keys = Integer.getInteger("keys", 1000);
        if (keys < 1) {
            throw new IllegalArgumentException("-Dkeys must be at least 1, was " + keys);
        }
        Iterator<Map<String, Object>> each = LongStream.rangeClosed(1, keys)
                .mapToObj(id -> Map.<String, Object>of("id", id)).iterator();
        Iterator<Map<String, Object>> uniform = Stream.generate(
                () -> Map.<String, Object>of("id", 1L + ThreadLocalRandom.current().nextInt(keys))).iterator();
        PopulationBuilder written = scenario(Load.WARM_UP + "avalanche").exec(page(Load.WARM_UP, each))
                .injectOpen(load.warmup().isZero() ? atOnceUsers(keys) : rampUsers(keys).during(load.warmup()));
        PopulationBuilder read = scenario("avalanche").exec(page("", uniform)).injectOpen(load.constantRate());
        setUp(written.andThen(read))
                .protocols(Load.http(ShopTarget.baseUrl()))
                .assertions(load.assertions("product page"));
    }

    @Override
    public void after() {
        ShopTarget.stop();
    }
}
