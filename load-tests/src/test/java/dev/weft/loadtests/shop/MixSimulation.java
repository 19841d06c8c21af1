package dev.weft.loadtests.shop;

import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;

import dev.weft.loadtests.Load;

/**
 * A day in the shop: 70 % catalog reads, 10 % orders, 10 % plaintext, 10 % JSON, at {@code rate} arrivals per
 * second. With its smoke defaults it is the simulation {@code ./weft test} runs, against a shop it starts itself.
 */
public final class MixSimulation extends Simulation {
    static ChainBuilder mix(String prefix) {
        return randomSwitch().on(
                percent(70.0).then(CatalogSimulation.read(prefix)),
                percent(10.0).then(OrdersSimulation.order(prefix)),
                percent(10.0).then(ThroughputSimulation.plaintext(prefix)),
                percent(10.0).then(ThroughputSimulation.json(prefix)));
    }

    {
        Load load = Load.fromSystemProperties();
        setUp(load.inject("mix", MixSimulation::mix))
                .protocols(Load.http(ShopTarget.baseUrl()))
                .assertions(load.assertions("product", "create order", "get order", "plaintext", "json"));
    }

    @Override
    public void after() {
        ShopTarget.stop();
    }
}
