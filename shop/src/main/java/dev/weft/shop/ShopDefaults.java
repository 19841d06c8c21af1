package dev.weft.shop;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.weft.config.ConfigTree;

/**
 * The shop's built-in configuration: with no file of its own it runs on these, and needs nothing installed. A file
 * ({@code --config FILE} or {@code $WEFT_CONFIG}; {@code config/local-services.yaml} switches to PostgreSQL, Redis
 * and RabbitMQ) changes what differs, and {@code WEFT_<PATH>} variables change single settings
 * ({@code WEFT_CACHE_MODE=off}, {@code PORT=9090}).
 *
 * <p>Written as Java values rather than as a YAML document on the class path: parsing one with SnakeYAML Engine was
 * 80 to 118 ms of the main thread's CPU before the server bound (its first use: 134 classes loaded and run in the
 * interpreter), the largest single step of the shop's start. A problem with one of these settings names
 * {@link #ORIGIN} as where it came from.
 */
public final class ShopDefaults {
    /** Where a built-in setting comes from, as a problem names it. */
    public static final String ORIGIN = "the shop's built-in defaults";

    private ShopDefaults() {}

    /** The built-in configuration, a new tree each call (a tree records what was read from it). */
    public static ConfigTree tree() {
        return ConfigTree.of(ORIGIN, map(
                // A laptop's shop is not served to the network; set 0.0.0.0 in a container.
                "server", map("host", "127.0.0.1", "port", 8080),
                // An in-memory H2 in PostgreSQL mode: the same SQL migrations as PostgreSQL.
                "db", map(
                        "url", "jdbc:h2:mem:shop;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
                                + "DB_CLOSE_DELAY=-1",
                        "username", "sa",
                        "maximumPoolSize", 8),
                // local: Caffeine only; redis: Caffeine in front of Redis; off: no caching. Each cache at the cache
                // module's defaults (10m + up to 5m jitter, ...); productPages serves GET /products/{id}/page.
                "cache", map(
                        "mode", "local",
                        "redis", map("keyPrefix", "shop"),
                        "caches", map("products", map(), "productPages", map())),
                // inprocess: outbox, then an in-process bus; rabbitmq; off: consumers in the order's own transaction.
                "events", map(
                        "mode", "inprocess",
                        "rabbitmq", map("exchange", "shop.events", "connectionName", "shop")),
                // 30,000 reviews: a page with something on it, seeded in seconds.
                "shop", map("seedProducts", 10000, "reviewsPerProduct", 3)));
    }

    /** A mapping in the order written, as a file keeps it. */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
