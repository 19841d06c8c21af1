package dev.weft.shop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.weft.cache.CacheConfig;
import dev.weft.cache.redis.RedisConfig;
import dev.weft.dbpool.DbPoolConfig;
import dev.weft.events.ConsumerConfig;
import dev.weft.events.outbox.OutboxConfig;
import dev.weft.events.rabbit.RabbitConfig;
import dev.weft.http.ConfigException;
import dev.weft.http.config.ConfigFile;
import dev.weft.http.config.ConfigSection;

/**
 * The storefront's configuration: the {@code db}, {@code cache}, {@code events} and {@code catalog} sections of the
 * shop's configuration file. Every default is the embedded one (H2, an in-process cache, an in-process event bus),
 * so that no file at all runs with nothing installed; {@code shop/config/local-services.yaml} switches to the real
 * PostgreSQL, Redis and RabbitMQ. The shop README lists every key with its default and the reason for it.
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

    /** The top-level sections this record reads. */
    public static final List<String> SECTIONS = List.of("db", "cache", "events", "catalog");

    /** The consumers a slow-down can name. */
    static final List<String> CONSUMERS = List.of("inventory", "points", "notification");

    /** The seed's catalog size, and what the load tests assume. */
    static final int DEFAULT_SEED_PRODUCTS = 10_000;

    /** A schema name that is safe to put into {@code CREATE SCHEMA} as it is. */
    private static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /**
     * Reads the four sections of {@code file}, recording every problem in it with its path; the caller reports them
     * all with {@link ConfigFile#throwIfProblems()}. With problems, the returned record must not be used.
     */
    public static StorefrontConfig from(ConfigFile file) {
        DbPoolConfig db = database(file.section("db"));

        ConfigSection cache = file.section("cache");
        CacheMode cacheMode = cache.enumValue("mode", CacheMode.class, CacheMode.LOCAL);
        ConfigSection r = cache.section("redis");
        RedisConfig redisDefaults = RedisConfig.defaults();
        RedisConfig redis = redisDefaults.toBuilder()
                .nodes(r.strings("nodes", redisDefaults.nodes()))
                .password(r.string("password", redisDefaults.password()))
                .database(r.integer("database", redisDefaults.database()))
                .keyPrefix(r.string("keyPrefix", "shop"))
                .timeout(r.duration("timeout", redisDefaults.timeout()))
                .poolSize(r.integer("poolSize", redisDefaults.poolSize()))
                .build();
        r.rejectUnknownKeys(List.of("nodes", "password", "database", "keyPrefix", "timeout", "poolSize"));
        if (cacheMode == CacheMode.REDIS) {
            file.addProblems(redis.validate());
        }
        ConfigSection p = cache.section("products");
        CacheConfig productDefaults = CacheConfig.defaults("products");
        CacheConfig products = productDefaults.toBuilder()
                .localMaxEntries(p.longValue("localMaxEntries", productDefaults.localMaxEntries()))
                .localTtl(p.duration("localTtl", productDefaults.localTtl()))
                .ttl(p.duration("ttl", productDefaults.ttl()))
                .ttlJitter(p.duration("ttlJitter", productDefaults.ttlJitter()))
                .nullTtl(p.duration("nullTtl", productDefaults.nullTtl()))
                .build();
        p.rejectUnknownKeys(List.of("localMaxEntries", "localTtl", "ttl", "ttlJitter", "nullTtl"));
        file.addProblems(products.validate());
        cache.rejectUnknownKeys(List.of("mode", "redis", "products"));

        ConfigSection events = file.section("events");
        EventsMode eventsMode = events.enumValue("mode", EventsMode.class, EventsMode.INPROCESS);
        ConfigSection q = events.section("rabbitmq");
        RabbitConfig rabbitDefaults = RabbitConfig.defaults();
        RabbitConfig rabbit = rabbitDefaults
                .withAddress(q.string("host", rabbitDefaults.host()), q.integer("port", rabbitDefaults.port()))
                .withCredentials(q.string("username", rabbitDefaults.username()),
                        q.string("password", rabbitDefaults.password()))
                .withExchange(q.string("exchange", "shop.events"))
                .withConnectionName(q.string("connectionName", "shop"));
        q.rejectUnknownKeys(List.of("host", "port", "username", "password", "exchange", "connectionName"));
        ConsumerConfig consumer = ConsumerConfig.defaults()
                .withPrefetch(events.integer("prefetch", ConsumerConfig.defaults().prefetch()));
        ConfigSection o = events.section("outbox");
        OutboxConfig outboxDefaults = OutboxConfig.defaults();
        OutboxConfig outbox = outboxDefaults
                .withBatchSize(o.integer("batchSize", outboxDefaults.batchSize()))
                .withPollInterval(o.duration("pollInterval", outboxDefaults.pollInterval()));
        o.rejectUnknownKeys(List.of("batchSize", "pollInterval"));
        String slowConsumer = events.string("slowConsumer", null);
        Duration slowDelay = events.duration("slowConsumerDelay", Duration.ZERO);
        List<String> problems = new ArrayList<>();
        if (slowConsumer != null && !CONSUMERS.contains(slowConsumer)) {
            problems.add("events.slowConsumer: must be one of " + String.join(", ", CONSUMERS) + ", was "
                    + slowConsumer);
        }
        if (slowDelay.isNegative()) {
            problems.add("events.slowConsumerDelay: must not be negative, was " + slowDelay);
        }
        if (slowDelay.isPositive() && slowConsumer == null) {
            problems.add("events.slowConsumer: is required when slowConsumerDelay is set (one of "
                    + String.join(", ", CONSUMERS) + ")");
        }
        if (eventsMode == EventsMode.RABBITMQ) {
            validate(problems, () -> rabbit.validate("events.rabbitmq."));
        }
        validate(problems, () -> consumer.validate("events."));
        validate(problems, () -> outbox.validate("events.outbox."));
        events.rejectUnknownKeys(List.of("mode", "rabbitmq", "prefetch", "outbox", "slowConsumer",
                "slowConsumerDelay"));

        ConfigSection catalog = file.section("catalog");
        int seed = catalog.integer("seedProducts", DEFAULT_SEED_PRODUCTS);
        if (seed < 0) {
            problems.add("catalog.seedProducts: must not be negative, was " + seed);
        }
        catalog.rejectUnknownKeys(List.of("seedProducts"));

        file.addProblems(problems);
        return new StorefrontConfig(db, cacheMode, redis, products, eventsMode, rabbit, consumer, outbox,
                slowConsumer, slowDelay, seed);
    }

    /**
     * The pool: the embedded H2 unless {@code url} is set. Only the settings an operator changes are read here;
     * db-pool's defaults (and its README's reasons) hold for the rest.
     */
    private static DbPoolConfig database(ConfigSection db) {
        boolean embedded = !db.has("url");
        DbPoolConfig.Builder b = embedded
                ? DbPoolConfig.embeddedH2("shop")
                : DbPoolConfig.builder(db.string("url", null)).name("shop").maximumPoolSize(8);
        b.username(db.string("username", embedded ? "sa" : ""))
                .password(db.string("password", ""));
        if (db.has("maximumPoolSize")) {
            b.maximumPoolSize(db.integer("maximumPoolSize", 8));
        }
        if (db.has("connectionTimeout")) {
            b.connectionTimeout(db.duration("connectionTimeout", null));
        }
        if (db.has("validationTimeout")) {
            b.validationTimeout(db.duration("validationTimeout", null));
        }
        if (db.has("maxWaiting")) {
            b.maxWaiting(db.integer("maxWaiting", 0));
        }
        if (db.has("schema")) {
            String schema = db.string("schema", "");
            if (!SCHEMA.matcher(schema).matches()) {
                db.file().addProblems(List.of("db.schema: must be an SQL identifier (a letter or _, then letters,"
                        + " digits or _; at most 63), was " + schema));
            }
            b.schema(schema);
        }
        db.rejectUnknownKeys(List.of("url", "username", "password", "maximumPoolSize", "connectionTimeout",
                "validationTimeout", "maxWaiting", "schema"));
        try {
            return b.build();
        } catch (ConfigException e) {
            db.file().addProblems(e.problems());
            return null;
        }
    }

    private static void validate(List<String> problems, Runnable validation) {
        try {
            validation.run();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
    }
}
