package dev.weft.shop;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import redis.clients.jedis.Jedis;

import dev.weft.config.ConfigTree;
import dev.weft.events.ConsumerConfig;
import dev.weft.events.metrics.EventMetrics;
import dev.weft.events.rabbit.RabbitConfig;
import dev.weft.events.rabbit.RabbitEvents;
import dev.weft.testkit.Services;

/**
 * The API on the real PostgreSQL, Redis and RabbitMQ: a PostgreSQL schema (which the shop creates at its first
 * start), a Redis key prefix and a RabbitMQ exchange of this run's own (suffix {@link #RUN}), all removed afterwards.
 */
class LocalServicesShopApiTest extends ShopApiContract {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String SCHEMA = "shop_test_" + RUN;
    private static final String PREFIX = "shop-test-" + RUN;
    private static final String EXCHANGE = "shop.test." + RUN;
    private static RunningShop shop;

    @BeforeAll
    static void start() throws Exception {
        Services.requirePostgres();
        Services.requireRedis();
        Services.requireRabbitMq();
        shop = new RunningShop(Map.of(
                "db", db(Map.of()),
                "cache", Map.of("mode", "redis", "redis", with(Services.redis().settings(), "keyPrefix", PREFIX)),
                "events", Map.of("mode", "rabbitmq", "rabbitmq", with(with(Services.rabbitMq().settings(),
                        "exchange", EXCHANGE), "connectionName", PREFIX)),
                "shop", Map.of("seedProducts", 100)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (shop != null) {
            shop.close();
        }
        try (Connection c = Services.postgres().connect();
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        try (Jedis redis = Services.redis().client()) {
            for (String key : redis.keys(PREFIX + ":*")) {
                redis.del(key);
            }
        }
        RabbitConfig rabbit = ConfigTree.of(with(with(Services.rabbitMq().settings(), "exchange", EXCHANGE),
                "connectionName", PREFIX + "-cleanup")).read(RabbitConfig::from);
        try (RabbitEvents events = new RabbitEvents(rabbit, ConsumerConfig.defaults(), EventMetrics.noop())) {
            events.deleteTopology(List.of("inventory", "points", "notification"));
        }
    }

    @Override
    RunningShop shop() {
        return shop;
    }

    @Override
    List<String> readinessChecks() {
        return List.of("database", "rabbitmq", "redis", "shop");
    }

    @Override
    Connection database() throws SQLException {
        Connection c = Services.postgres().connect();
        c.setSchema(SCHEMA);
        return c;
    }

    @Override
    Map<String, Object> tinyPoolConfig() {
        return Map.of(
                "db", db(Map.of("maximumPoolSize", 1, "connectionTimeout", "500ms", "validationTimeout", "250ms")),
                "cache", Map.of("mode", "off"),
                "events", Map.of("mode", "off"),
                "shop", Map.of("slowConsumer", "notification", "slowConsumerDelay", "1500ms"));
    }

    private static Map<String, Object> with(Map<String, Object> settings, String key, Object value) {
        Map<String, Object> more = new HashMap<>(settings);
        more.put(key, value);
        return more;
    }

    private static Map<String, Object> db(Map<String, Object> more) {
        Map<String, Object> db = new HashMap<>(with(Services.postgres().settings(), "schema", SCHEMA));
        db.putAll(more);
        return db;
    }
}
