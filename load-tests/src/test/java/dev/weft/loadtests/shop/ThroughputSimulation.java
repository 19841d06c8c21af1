package dev.weft.loadtests.shop;

import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;

import dev.weft.loadtests.Load;

/** The TechEmpower pair: {@code GET /plaintext} and {@code GET /json}, each at {@code rate} arrivals per second. */
public final class ThroughputSimulation extends Simulation {
    static ChainBuilder plaintext(String prefix) {
        return exec(http(prefix + "plaintext").get("/plaintext")
                .check(status().is(200), bodyString().is("Hello, World!")));
    }

    static ChainBuilder json(String prefix) {
        return exec(http(prefix + "json").get("/json")
                .check(status().is(200), jsonPath("$.message").is("Hello, World!")));
    }

    {
        Load load = Load.fromSystemProperties();
        setUp(load.inject("plaintext", ThroughputSimulation::plaintext),
                load.inject("json", ThroughputSimulation::json))
                .protocols(Load.http(ShopTarget.baseUrl()))
                .assertions(load.assertions("plaintext", "json"));
    }

    @Override
    public void after() {
        ShopTarget.stop();
    }
}
