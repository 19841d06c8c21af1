package dev.weft.shop;

import dev.weft.service.Weft;

/**
 * Runs the shop: {@code java -jar shop.jar [--config FILE]}. With no file it runs on its built-in defaults
 * ({@link ShopDefaults}: an embedded H2 database, an in-process cache and event bus), so that it needs nothing
 * installed; {@code config/local-services.yaml} switches to the real PostgreSQL, Redis and RabbitMQ.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Weft.run("shop", args, ShopDefaults.tree(), config -> new Shop(ShopConfig.from(config.section("shop"))));
    }
}
