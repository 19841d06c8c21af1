package dev.weft.shop;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.weft.cache.CacheConfig;
import dev.weft.cache.redis.RedisConfig;
import dev.weft.dbpool.DbPoolConfig;
import dev.weft.events.ConsumerConfig;
import dev.weft.events.outbox.OutboxConfig;
import dev.weft.events.rabbit.RabbitConfig;
import dev.weft.http.ConfigException;
import dev.weft.shop.config.Settings;

/**
 * The storefront's configuration: the {@code db}, {@code cache}, {@code events} and {@code catalog} sections of the
 * shop's configuration file. Every default is the embedded one (H2, an in-process cache, an in-process event bus),
 * so that an empty file runs with nothing installed; {@code shop/config/local-services.yaml} switches to the real
 * PostgreSQL, Redis and RabbitMQ. The README lists every key with its default and the reason for it.
 *
 * @param db                the database pool (db-pool)
 * @param cacheMode         {@code local}: Caffeine only; {@code redis}: Caffeine in front of Redis; {@code off}:
 *                          every product read goes to the database
 * @param redis             how to reach Redis, when {@code cacheMode} is {@code redis}
 * @param products          the product cache's TTLs and sizes
 * @param eventsMode        {@code inprocess}: outbox and in-process bus; {@code rabbitmq}: outbox and RabbitMQ;
 *                          {@code off}: the consumers run inside the order's own transaction
 * @param rabbit            how to reach RabbitMQ and what to name the exchange, when {@code eventsMode} is rabbitmq
 * @param consumer          prefetch and retries of the consumer groups
 * @param outbox            the outbox relay's batch and poll interval
 * @param slowConsumer      the consumer to slow down on purpose (a load-test hook), or null
 * @param slowConsumerDelay how long that consumer waits before each event; zero for no delay
 * @param seedProducts      how many products to create when the catalog is empty
 */
public record StorefrontConfig(DbPoolConfig db, CacheMode cacheMode, RedisConfig redis, CacheConfig products,
                               EventsMode eventsMode, RabbitConfig rabbit, ConsumerConfig consumer,
                               OutboxConfig outbox, String slowConsumer, Duration slowConsumerDelay,
                               int seedProducts) {

    public enum CacheMode { LOCAL, REDIS, OFF }

    public enum EventsMode { INPROCESS, RABBITMQ, OFF }

    /** A schema name that is safe to put into {@code CREATE SCHEMA} as it is. */
    private static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /** The consumers a slow-down can name. */
    static final List<String> CONSUMERS = List.of("inventory", "points", "notification");

    /** The seed's catalog size, and what the load tests assume. */
    static final int DEFAULT_SEED_PRODUCTS = 10_000;

    /** The embedded defaults: what an empty configuration file means. */
    public static StorefrontConfig defaults() {
        return from(Settings.root(null));
    }

    /**
     * Reads the four sections from {@code root}.
     *
     * @throws ConfigException listing every problem of the four sections, each with its field path
     */
    public static StorefrontConfig from(Settings root) {
        Settings db = root.section("db");
        Settings cache = root.section("cache");
        Settings events = root.section("events");
        Settings catalog = root.section("catalog");

        DbPoolConfig dbConfig = database(db);

        CacheMode cacheMode = mode(cache, CacheMode.class, CacheMode.LOCAL);
        Settings r = cache.section("redis");
        RedisConfig redisDefaults = RedisConfig.defaults();
        RedisConfig redis = redisDefaults.toBuilder()
                .nodes(r.strings("nodes", redisDefaults.nodes()))
                .password(r.string("password", redisDefaults.password()))
                .database(r.integer("database", redisDefaults.database(), 0, 15))
                .keyPrefix(r.string("keyPrefix", "shop"))
                .timeout(r.duration("timeout", redisDefaults.timeout()))
                .poolSize(r.integer("poolSize", redisDefaults.poolSize(), 1, 10_000))
                .build();
        if (cacheMode == CacheMode.REDIS) {
            root.problems(redis.validate());
        }
        Settings p = cache.section("products");
        CacheConfig productDefaults = CacheConfig.defaults("products");
        CacheConfig products = productDefaults.toBuilder()
                .localMaxEntries(p.integer("localMaxEntries", (int) productDefaults.localMaxEntries(), 0,
                        Integer.MAX_VALUE))
                .localTtl(p.duration("localTtl", productDefaults.localTtl()))
                .ttl(p.duration("ttl", productDefaults.ttl()))
                .ttlJitter(p.duration("ttlJitter", productDefaults.ttlJitter()))
                .nullTtl(p.duration("nullTtl", productDefaults.nullTtl()))
                .build();
        root.problems(products.validate());

        EventsMode eventsMode = mode(events, EventsMode.class, EventsMode.INPROCESS);
        Settings q = events.section("rabbitmq");
        RabbitConfig rabbitDefaults = RabbitConfig.defaults();
        RabbitConfig rabbit = rabbitDefaults
                .withAddress(q.string("host", rabbitDefaults.host()),
                        q.integer("port", rabbitDefaults.port(), 1, 65_535))
                .withCredentials(q.string("username", rabbitDefaults.username()),
                        q.string("password", rabbitDefaults.password()))
                .withExchange(q.string("exchange", "shop.events"))
                .withConnectionName(q.string("connectionName", "shop"));
        ConsumerConfig consumerDefaults = ConsumerConfig.defaults();
        ConsumerConfig consumer = consumerDefaults
                .withPrefetch(events.integer("prefetch", consumerDefaults.prefetch(), 1, 65_535));
        OutboxConfig outboxDefaults = OutboxConfig.defaults();
        OutboxConfig outbox = outboxDefaults
                .withBatchSize(events.integer("outboxBatchSize", outboxDefaults.batchSize(), 1, 10_000))
                .withPollInterval(events.duration("outboxPollInterval", outboxDefaults.pollInterval()));
        String slowConsumer = events.choice("slowConsumer", null, CONSUMERS);
        Duration slowDelay = events.duration("slowConsumerDelay", Duration.ZERO);
        if (slowDelay.isNegative()) {
            events.problem("slowConsumerDelay", "must not be negative, was " + slowDelay);
        }
        if (slowDelay.isPositive() && slowConsumer == null) {
            events.problem("slowConsumer", "is required when slowConsumerDelay is set (one of "
                    + String.join(", ", CONSUMERS) + ")");
        }
        check(root, () -> rabbit.validate("events.rabbitmq."), eventsMode == EventsMode.RABBITMQ);
        check(root, () -> consumer.validate("events."), true);
        check(root, () -> outbox.validate("events.outbox."), true);

        int seed = catalog.integer("seedProducts", DEFAULT_SEED_PRODUCTS, 0, 10_000_000);

        for (Settings section : List.of(db, cache, events, catalog)) {
            section.unknownKeys();
        }
        if (!root.allProblems().isEmpty()) {
            throw new ConfigException(root.allProblems());
        }
        return new StorefrontConfig(dbConfig, cacheMode, redis, products, eventsMode, rabbit, consumer, outbox,
                slowConsumer, slowDelay, seed);
    }

    private static DbPoolConfig database(Settings db) {
        DbPoolConfig.Builder b = db.has("url")
                ? DbPoolConfig.builder(db.string("url", null)).name("shop").username("").password("")
                        .maximumPoolSize(8)
                : DbPoolConfig.embeddedH2("shop");
        b.username(db.string("username", db.has("url") ? "" : "sa"))
                .password(db.string("password", ""));
        if (db.has("maximumPoolSize")) {
            b.maximumPoolSize(db.integer("maximumPoolSize", 8, 1, 10_000));
        }
        if (db.has("connectionTimeout")) {
            b.connectionTimeout(db.duration("connectionTimeout", null));
        }
        if (db.has("validationTimeout")) {
            b.validationTimeout(db.duration("validationTimeout", null));
        }
        if (db.has("maxWaiting")) {
            b.maxWaiting(db.integer("maxWaiting", 0, 0, 1_000_000));
        }
        if (db.has("schema")) {
            String schema = db.string("schema", null);
            if (!SCHEMA.matcher(schema).matches()) {
                db.problem("schema", "must be an SQL identifier (a letter or _, then letters, digits or _; at most"
                        + " 63), was " + schema);
            }
            b.schema(schema);
        }
        try {
            return b.build();
        } catch (ConfigException e) {
            db.problems(e.problems());
            return null;
        }
    }

    private static <E extends Enum<E>> E mode(Settings section, Class<E> type, E fallback) {
        List<String> names = java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        String chosen = section.choice("mode", fallback.name().toLowerCase(Locale.ROOT), names);
        return Enum.valueOf(type, chosen.toUpperCase(Locale.ROOT));
    }

    private static void check(Settings root, Runnable validation, boolean applies) {
        if (!applies) {
            return;
        }
        try {
            validation.run();
        } catch (ConfigException e) {
            root.problems(e.problems());
        }
    }
}
