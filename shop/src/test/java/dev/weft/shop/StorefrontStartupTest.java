package dev.weft.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.weft.shop.RunningShop.Reply;

/** The shop binds before its storefront is open: until then the storefront's routes and readiness say so. */
class StorefrontStartupTest {
    @Test
    void untilTheStorefrontIsOpenItsRoutesAnswer503AndTheShopIsNotReady() throws Exception {
        Map<String, ?> config = Map.of(
                "db", Map.of("url", "jdbc:h2:mem:startup-" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1",
                        "username", "sa"),
                "catalog", Map.of("seedProducts", 10));
        try (RunningShop shop = new RunningShop(config, false)) {
            Reply early = shop.get("/products/1");
            assertEquals(503, early.status());
            assertEquals("1", early.header("Retry-After"));
            Reply notReady = shop.get("/health/ready");
            assertEquals(503, notReady.status());
            assertTrue(notReady.json().get("checks").get("database").get("error").asText().contains("not open"),
                    notReady.raw().body());

            shop.storefront().open();
            assertEquals(200, shop.get("/products/1").status());
            assertEquals(200, shop.get("/health/ready").status());
        }
    }
}
