package dev.weft.shop;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The API on the embedded defaults: H2 in PostgreSQL mode, the in-process product cache and the in-process event
 * bus, all in this JVM. Only the database's name differs from the defaults, so that runs do not share data.
 */
class EmbeddedShopApiTest extends ShopApiContract {
    private static final String URL = "jdbc:h2:mem:shop-" + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    private static RunningShop shop;

    @BeforeAll
    static void start() throws Exception {
        shop = new RunningShop(Map.of("db", Map.of("url", URL, "username", "sa")));
    }

    @AfterAll
    static void stop() {
        if (shop != null) {
            shop.close();
        }
    }

    @Override
    RunningShop shop() {
        return shop;
    }

    @Override
    List<String> readinessChecks() {
        return List.of("database", "shop");
    }

    @Override
    Connection database() throws SQLException {
        return DriverManager.getConnection(URL, "sa", "");
    }

    @Override
    Map<String, Object> tinyPoolConfig() {
        return Map.of(
                "db", Map.of("url", URL, "username", "sa", "maximumPoolSize", 1, "connectionTimeout", "500ms",
                        "validationTimeout", "250ms"),
                "cache", Map.of("mode", "off"),
                "events", Map.of("mode", "off"),
                "shop", Map.of("slowConsumer", "notification", "slowConsumerDelay", "1500ms"));
    }
}
