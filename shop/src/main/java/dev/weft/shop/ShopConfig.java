package dev.weft.shop;

import java.time.Duration;
import java.util.List;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;
import dev.weft.shop.reviews.ReviewSeed;

/**
 * The shop's own settings, its {@code shop:} section; every module it uses (the database, the cache, the events) is
 * configured in that module's section, with the built-in defaults in {@link ShopDefaults}.
 *
 * @param seedProducts      how many products to create when the catalog is empty: the seed article's catalog, and
 *                          what the load tests assume
 * @param reviewsPerProduct how many reviews of each product to create when there are none: a few for a product
 *                          page with something on it, hundreds (millions in all) for a page that costs what a
 *                          real shop's does
 * @param slowConsumer      the order consumer to slow down on purpose (a load-test hook: a slow mail server), or
 *                          null for none
 * @param slowConsumerDelay how long that consumer waits before each event; zero for no delay
 */
public record ShopConfig(int seedProducts, int reviewsPerProduct, String slowConsumer, Duration slowConsumerDelay) {
    /** The consumers a slow-down can name. */
    static final List<String> CONSUMERS = List.of("inventory", "points", "notification");

    public static ShopConfig defaults() {
        return new ShopConfig(10_000, 3, null, Duration.ZERO);
    }

    public static ShopConfig from(ConfigSection s) {
        // Spelt out rather than read by reflection (ConfigSection.read): this runs before a service binds.
        ShopConfig d = defaults();
        ShopConfig c = new ShopConfig(
                s.integer("seedProducts", d.seedProducts),
                s.integer("reviewsPerProduct", d.reviewsPerProduct),
                s.string("slowConsumer", d.slowConsumer),
                s.duration("slowConsumerDelay", d.slowConsumerDelay));
        c.validate(s.path(), s.problems());
        return c;
    }

    public void validate(String path, Problems problems) {
        problems.notNegative(path + ".seedProducts", seedProducts);
        problems.between(path + ".reviewsPerProduct", reviewsPerProduct, 0, ReviewSeed.MAX_REVIEWS_PER_PRODUCT);
        problems.notNegative(path + ".slowConsumerDelay", slowConsumerDelay);
        if (slowConsumer != null && !CONSUMERS.contains(slowConsumer)) {
            problems.add(path + ".slowConsumer", "must be one of " + String.join(", ", CONSUMERS) + ", was \""
                    + slowConsumer + "\"");
        }
        if (slowConsumer == null && slowConsumerDelay != null && slowConsumerDelay.isPositive()) {
            problems.add(path + ".slowConsumer", "must be set when slowConsumerDelay is (one of "
                    + String.join(", ", CONSUMERS) + ")");
        }
    }
}
