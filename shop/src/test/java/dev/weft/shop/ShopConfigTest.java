package dev.weft.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.weft.config.ConfigException;
import dev.weft.config.ConfigTree;
import dev.weft.testkit.RecordReading;

/** The shop's own section, and its built-in defaults read as the skeleton reads them. */
class ShopConfigTest {
    @Test
    void everySettingFromTheFileAndTheEnvironment() {
        ConfigTree t = ConfigTree.parse("s.yaml", "shop:\n  seedProducts: 5\n  slowConsumer: points\n")
                .withOverrides(Map.of("WEFT_SHOP_SLOW_CONSUMER_DELAY", "200ms",
                        "WEFT_SHOP_REVIEWS_PER_PRODUCT", "500"), Map.of());
        assertEquals(new ShopConfig(5, 500, "points", Duration.ofMillis(200)), ShopConfig.from(t.section("shop")));
        t.throwIfProblems();
    }

    @Test
    void everyProblemAtOnceWithItsOrigin() {
        ConfigTree t = ConfigTree.parse("s.yaml", "shop:\n  seedProducts: -1\n  slowConsumer: mail\n  slow: 1\n"
                        + "  reviewsPerProduct: 7919\n")
                .withOverrides(Map.of("WEFT_SHOP_SLOW_CONSUMER_DELAY", "-1s"), Map.of());
        ShopConfig.from(t.section("shop"));
        ConfigException e = assertThrows(ConfigException.class, t::throwIfProblems);
        assertEquals(List.of(
                "shop.seedProducts: must not be negative, was -1 (s.yaml:2:3)",
                "shop.reviewsPerProduct: must be between 0 and 7918, was 7919 (s.yaml:5:3)",
                "shop.slowConsumerDelay: must not be negative, was -1s (from WEFT_SHOP_SLOW_CONSUMER_DELAY)",
                "shop.slowConsumer: must be one of inventory, points, notification, was \"mail\" (s.yaml:3:3)",
                "shop.slow: unknown setting (s.yaml:4:3); known settings: seedProducts, reviewsPerProduct,"
                        + " slowConsumer, slowConsumerDelay"), e.problems());
    }

    @Test
    void aDelayNeedsAConsumer() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigTree.of(Map.of(
                "slowConsumerDelay", "1s")).read(ShopConfig::from));
        assertEquals(List.of("slowConsumer: must be set when slowConsumerDelay is (one of inventory, points,"
                + " notification)"), e.problems());
    }

    @Test
    void theBuiltInDefaultsAreTheRecordsDefaults() {
        ConfigTree defaults = ShopDefaults.tree();
        assertEquals(ShopConfig.defaults(), ShopConfig.from(defaults.section("shop")));
    }

    @Test
    void readsLikeItsComponents() {
        RecordReading.assertSpeltOutAsItsComponents(ShopConfig.class, ShopConfig.defaults(), ShopConfig::from);
    }
}
