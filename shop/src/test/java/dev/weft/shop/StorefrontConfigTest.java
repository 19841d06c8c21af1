package dev.weft.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.weft.http.ConfigException;
import dev.weft.http.config.ConfigFile;

class StorefrontConfigTest {
    @Test
    void anEmptyConfigurationIsTheEmbeddedDefault() throws Exception {
        StorefrontConfig config = RunningShop.config(Map.of());
        assertTrue(config.db().jdbcUrl().startsWith("jdbc:h2:mem:shop;MODE=PostgreSQL"), config.db().jdbcUrl());
        assertEquals(StorefrontConfig.CacheMode.LOCAL, config.cacheMode());
        assertEquals(StorefrontConfig.EventsMode.INPROCESS, config.eventsMode());
        assertEquals(10_000, config.seedProducts());
        assertNull(config.slowConsumer());
        assertEquals(Duration.ZERO, config.slowConsumerDelay());
    }

    @Test
    void valuesArriveAsTextFromTheEnvironmentOrTypedFromTheFile() throws Exception {
        StorefrontConfig config = RunningShop.config(Map.of(
                "db", Map.of("url", "jdbc:postgresql://127.0.0.1:5432/test", "maximumPoolSize", "3",
                        "connectionTimeout", "2s", "validationTimeout", "1s", "schema", "shop"),
                "cache", Map.of("mode", "REDIS", "redis", Map.of("nodes", List.of("127.0.0.1:6379"))),
                "events", Map.of("mode", "off", "slowConsumer", "notification", "slowConsumerDelay", "200ms"),
                "catalog", Map.of("seedProducts", 50)));
        assertEquals(3, config.db().maximumPoolSize());
        assertEquals(Duration.ofSeconds(2), config.db().connectionTimeout());
        assertEquals("shop", config.db().schema());
        assertEquals(StorefrontConfig.CacheMode.REDIS, config.cacheMode());
        assertEquals(StorefrontConfig.EventsMode.OFF, config.eventsMode());
        assertEquals("notification", config.slowConsumer());
        assertEquals(Duration.ofMillis(200), config.slowConsumerDelay());
        assertEquals(50, config.seedProducts());
    }

    @Test
    void theLocalServicesFileIsValidAndUsesEveryRealService() {
        ConfigFile file = ConfigFile.load(Path.of("config/local-services.yaml"), Map.of());
        StorefrontConfig config = StorefrontConfig.from(file);
        file.throwIfProblems();
        assertEquals("jdbc:postgresql://127.0.0.1:5432/test", config.db().jdbcUrl());
        assertEquals("shop", config.db().schema());
        assertEquals(StorefrontConfig.CacheMode.REDIS, config.cacheMode());
        assertEquals(List.of("127.0.0.1:6379"), config.redis().nodes());
        assertEquals(StorefrontConfig.EventsMode.RABBITMQ, config.eventsMode());
        assertEquals("shop.events", config.rabbit().exchange());
    }

    @Test
    void environmentVariablesOverrideTheFile() {
        ConfigFile file = ConfigFile.load(Path.of("config/local-services.yaml"), Map.of(
                "WEFT_EVENTS_MODE", "off", "WEFT_EVENTS_SLOW_CONSUMER_DELAY", "200ms", "WEFT_DB_MAXIMUM_POOL_SIZE", "2"));
        StorefrontConfig config = StorefrontConfig.from(file);
        file.throwIfProblems();
        assertEquals(StorefrontConfig.EventsMode.OFF, config.eventsMode());
        assertEquals(Duration.ofMillis(200), config.slowConsumerDelay());
        assertEquals(2, config.db().maximumPoolSize());
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        ConfigException e = assertThrows(ConfigException.class, () -> RunningShop.config(Map.of(
                "db", Map.of("maximumPoolSize", 0, "schema", "shop; DROP TABLE x"),
                "cache", Map.of("mode", "memcached", "products", Map.of("nullTtl", "soon")),
                "events", Map.of("slowConsumerDelay", "200ms", "prefetch", -1, "colour", "red"),
                "catalog", "lots")));
        List<String> problems = e.problems();
        for (String expected : List.of("db.maximumPoolSize:", "db.schema: must be an SQL identifier",
                "cache.mode: must be one of local, redis, off", "cache.products.nullTtl:",
                "events.slowConsumer: is required when", "events.prefetch:", "events.colour: unknown setting",
                "catalog: must be a mapping")) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(expected)),
                    "expected a problem starting with '" + expected + "' in " + problems);
        }
    }
}
