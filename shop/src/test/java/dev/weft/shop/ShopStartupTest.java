package dev.weft.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.weft.shop.RunningShop.Reply;

/** The shop binds before it has started: until then its routes and readiness say so, and /plaintext answers. */
class ShopStartupTest {
    @Test
    void untilTheShopHasStartedItsRoutesAnswer503AndItIsNotReady() throws Exception {
        Map<String, ?> config = Map.of(
                "db", Map.of("url", "jdbc:h2:mem:startup-" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1",
                        "username", "sa"),
                "shop", Map.of("seedProducts", 10));
        CountDownLatch gate = new CountDownLatch(1);
        try (RunningShop shop = new RunningShop(config, gate)) {
            Reply early = shop.get("/products/1");
            assertEquals(503, early.status());
            assertEquals("1", early.header("Retry-After"));
            Reply notReady = shop.get("/health/ready");
            assertEquals(503, notReady.status());
            assertTrue(notReady.json().get("checks").get("shop").get("error").asText().contains("starting"),
                    notReady.raw().body());
            assertEquals(200, shop.get("/plaintext").status());

            gate.countDown();
            shop.service().started().get(60, TimeUnit.SECONDS);
            assertEquals(200, shop.get("/products/1").status());
            assertEquals(200, shop.get("/health/ready").status());
        }
    }
}
