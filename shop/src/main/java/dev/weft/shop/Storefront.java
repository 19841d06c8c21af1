package dev.weft.shop;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.cache.Cache;
import dev.weft.cache.Caches;
import dev.weft.cache.codec.KeyCodec;
import dev.weft.dbpool.DbPool;
import dev.weft.dbpool.http.PoolExhaustedMiddleware;
import dev.weft.events.EventPublisher;
import dev.weft.events.EventSubscriber;
import dev.weft.events.inprocess.InProcessBus;
import dev.weft.events.jdbc.EventSchema;
import dev.weft.events.metrics.EventMetrics;
import dev.weft.events.outbox.Outbox;
import dev.weft.events.outbox.OutboxRelay;
import dev.weft.events.rabbit.RabbitEvents;
import dev.weft.http.Handler;
import dev.weft.http.Middleware;
import dev.weft.http.ServeMux;
import dev.weft.http.health.Health;
import dev.weft.shop.catalog.Catalog;
import dev.weft.shop.catalog.CatalogSeed;
import dev.weft.shop.catalog.Product;
import dev.weft.shop.catalog.ProductRoutes;
import dev.weft.shop.catalog.ProductStore;
import dev.weft.shop.db.Transactions;
import dev.weft.shop.inventory.InventoryConsumer;
import dev.weft.shop.notifications.NotificationConsumer;
import dev.weft.shop.orders.Fulfilment;
import dev.weft.shop.orders.OrderEvents;
import dev.weft.shop.orders.OrderRoutes;
import dev.weft.shop.orders.OrderService;
import dev.weft.shop.orders.OrderStore;
import dev.weft.shop.orders.OutboxOrderEvents;
import dev.weft.shop.users.PointsConsumer;
import dev.weft.shop.users.PointsLedger;
import dev.weft.shop.users.UserRoutes;
import dev.weft.shop.web.ErrorResponses;

/**
 * The seed's e-commerce service, wired from its configuration: the catalog behind the product cache, orders with
 * their consumers behind the outbox and the event transport, and the database pool under both.
 *
 * <p>Construction is cheap; {@link #open} does the slow part (the pool, migrations, the first-start seed, the cache,
 * the consumer groups and the outbox relay), so that the shop can bind and answer {@code /plaintext} and the
 * liveness probe while it runs. Until {@code open} has finished, the storefront's routes answer 503 with
 * {@code Retry-After} and its readiness checks fail, so that no load balancer sends it orders early. {@link #close}
 * stops everything in the reverse order, after the server has finished its requests.
 */
public final class Storefront implements ShopComponent, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Storefront.class);
    /** Each readiness check's own timeout: well under a probe's usual period of 10 s. */
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final StorefrontConfig config;
    private final MeterRegistry registry;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private DbPool pool;
    private Caches caches;
    private RabbitEvents rabbit;
    /** Null until {@link #open} has finished: the routes check it on every request. */
    private volatile Routes routes;

    /** The storefront's handlers, built by {@link #open}. */
    private record Routes(Handler getProduct, Handler putProduct, Handler postOrder, Handler getOrder,
                          Handler userPoints) {}

    /** A storefront to be opened; nothing is connected yet. */
    public Storefront(StorefrontConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    /**
     * Opens the pool, applies the migrations, seeds an empty catalog and starts the cache and the events that the
     * configuration asks for; then the routes serve. On failure, whatever was opened is closed again.
     */
    public synchronized Storefront open() throws Exception {
        if (routes != null) {
            throw new IllegalStateException("the storefront is open already");
        }
        try {
            start();
            return this;
        } catch (Exception | Error e) {
            closeResources();
            throw e;
        }
    }

    private void start() throws Exception {
        pool = opened(DbPool.open(config.db(), registry));
        if (config.db().schema() != null) {
            createSchema(config.db().schema());
        }
        pool.migrate("db/migration");
        Transactions db = new Transactions(pool.dataSource());
        ProductStore store = new ProductStore();
        long seedStart = System.nanoTime();
        int seeded = CatalogSeed.seedIfEmpty(db, store, config.seedProducts());
        log.info("database {}: {}; {} products seeded in {} ms", config.db().jdbcUrl(), pool.sizing().reasoning(),
                seeded, (System.nanoTime() - seedStart) / 1_000_000);

        caches = switch (config.cacheMode()) {
            case OFF -> null;
            case LOCAL -> opened(Caches.local(registry));
            case REDIS -> opened(Caches.open(config.redis(), registry));
        };
        Cache<Long, Product> cache = caches == null ? null
                : caches.cache(config.products(), KeyCodec.longs(), Product.class);
        Catalog catalog = new Catalog(db, store, cache);

        PointsLedger ledger = new PointsLedger();
        OrderStore orderStore = new OrderStore();
        Fulfilment fulfilment = new Fulfilment(db, orderStore, List.of(new InventoryConsumer(),
                new PointsConsumer(ledger), new NotificationConsumer()), config.slowConsumer(),
                config.slowConsumerDelay());
        OrderEvents events = config.eventsMode() == StorefrontConfig.EventsMode.OFF
                ? fulfilment::processAll
                : startEvents(fulfilment);

        ProductRoutes products = new ProductRoutes(catalog);
        OrderRoutes orders = new OrderRoutes(new OrderService(db, catalog, orderStore, fulfilment, events));
        UserRoutes users = new UserRoutes(db, ledger);
        routes = new Routes(products.get(), products.put(), orders.post(), orders.get(), users.points());
        log.info("storefront open: cache {}, events {}{}", config.cacheMode(), config.eventsMode(),
                !config.slowConsumerDelay().isPositive() ? ""
                        : ", consumer " + config.slowConsumer() + " slowed by " + config.slowConsumerDelay());
    }

    /** The shop's tables live in {@code db.schema} when one is set; the first start creates it. */
    private void createSchema(String schema) throws SQLException {
        try (Connection c = pool.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        }
    }

    private OrderEvents startEvents(Fulfilment fulfilment) throws Exception {
        EventSchema.create(pool.dataSource(), config.outbox().tables());
        EventMetrics metrics = new EventMetrics(registry);
        EventPublisher publisher;
        EventSubscriber subscriber;
        if (config.eventsMode() == StorefrontConfig.EventsMode.RABBITMQ) {
            rabbit = opened(new RabbitEvents(config.rabbit(), config.consumer(), metrics));
            publisher = rabbit;
            subscriber = rabbit;
        } else {
            InProcessBus bus = opened(new InProcessBus(config.consumer(), metrics));
            publisher = bus;
            subscriber = bus;
        }
        OutboxOrderEvents events = new OutboxOrderEvents(new Outbox(config.outbox().tables()), fulfilment);
        events.subscribe(subscriber).forEach(this::opened);
        opened(new OutboxRelay(pool.dataSource(), publisher, config.outbox(), metrics).start());
        return events;
    }

    /**
     * Adds the storefront's routes. Refusals become JSON ({@code 400} naming each bad field, {@code 404},
     * {@code 409}); an exhausted pool becomes {@code 503} with {@code Retry-After}, and so does any request that
     * arrives before {@link #open} has finished.
     */
    @Override
    public void register(ServeMux mux) {
        Middleware errors = Middleware.chain(new PoolExhaustedMiddleware(ErrorResponses::write), new ErrorResponses());
        route(mux, errors, "GET /products/{id}", Routes::getProduct);
        route(mux, errors, "PUT /products/{id}", Routes::putProduct);
        route(mux, errors, "POST /orders", Routes::postOrder);
        route(mux, errors, "GET /orders/{id}", Routes::getOrder);
        route(mux, errors, "GET /users/{id}/points", Routes::userPoints);
    }

    /**
     * Readiness depends on the database, and on Redis and RabbitMQ when the configuration uses them; each check
     * fails until {@link #open} has finished.
     */
    @Override
    public void addReadinessChecks(Health health) {
        health.addCheck("database", CHECK_TIMEOUT, () -> {
            requireOpen();
            pool.readinessCheck().check();
        });
        if (config.cacheMode() == StorefrontConfig.CacheMode.REDIS) {
            health.addCheck("redis", CHECK_TIMEOUT, () -> {
                requireOpen();
                caches.healthCheck().check();
            });
        }
        if (config.eventsMode() == StorefrontConfig.EventsMode.RABBITMQ) {
            health.addCheck("rabbitmq", CHECK_TIMEOUT, () -> {
                requireOpen();
                rabbit.healthCheck().check();
            });
        }
    }

    /**
     * Stops the relay, lets the consumers finish what they hold, then closes the transport, the cache and the pool.
     * Call it after the server's shutdown, so that no request still needs them; it waits for an {@link #open} in
     * progress.
     */
    @Override
    public synchronized void close() {
        routes = null;
        closeResources();
    }

    private void closeResources() {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", resource, e.toString());
            }
        }
    }

    private void requireOpen() {
        if (routes == null) {
            throw new IllegalStateException("the storefront is not open yet");
        }
    }

    private void route(ServeMux mux, Middleware errors, String pattern, Function<Routes, Handler> handler) {
        mux.handle(pattern, errors.wrap((w, r) -> {
            Routes open = routes;
            if (open == null) {
                w.headers().set("Retry-After", "1");
                ErrorResponses.write(w, 503, "the storefront is starting (or stopping): retry shortly");
                return;
            }
            handler.apply(open).serve(w, r);
        }));
    }

    /** Remembers {@code resource} to be closed, last opened first. */
    private <T extends AutoCloseable> T opened(T resource) {
        resources.push(resource);
        return resource;
    }
}
