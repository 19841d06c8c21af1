package dev.weft.shop;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.cache.Cache;
import dev.weft.cache.codec.KeyCodec;
import dev.weft.events.Subscription;
import dev.weft.events.service.Events;
import dev.weft.http.Middleware;
import dev.weft.http.ServeMux;
import dev.weft.service.Modules;
import dev.weft.service.Service;
import dev.weft.service.http.PoolExhaustedMiddleware;
import dev.weft.shop.catalog.Catalog;
import dev.weft.shop.catalog.CatalogSeed;
import dev.weft.shop.catalog.Product;
import dev.weft.shop.catalog.ProductRoutes;
import dev.weft.shop.catalog.ProductStore;
import dev.weft.shop.db.Transactions;
import dev.weft.shop.inventory.InventoryConsumer;
import dev.weft.shop.inventory.StockSeed;
import dev.weft.shop.inventory.WarehouseStockStore;
import dev.weft.shop.notifications.NotificationConsumer;
import dev.weft.shop.orders.Fulfilment;
import dev.weft.shop.orders.OrderEvents;
import dev.weft.shop.orders.OrderRoutes;
import dev.weft.shop.orders.OrderService;
import dev.weft.shop.orders.OrderStore;
import dev.weft.shop.orders.OutboxOrderEvents;
import dev.weft.shop.pages.ProductPage;
import dev.weft.shop.pages.ProductPageRoutes;
import dev.weft.shop.pages.ProductPages;
import dev.weft.shop.reviews.ReviewRoutes;
import dev.weft.shop.reviews.ReviewSeed;
import dev.weft.shop.reviews.ReviewStore;
import dev.weft.shop.reviews.Reviews;
import dev.weft.shop.users.PointsConsumer;
import dev.weft.shop.users.PointsLedger;
import dev.weft.shop.users.UserRoutes;
import dev.weft.shop.web.ErrorResponses;

/**
 * The seed's e-commerce service on the skeleton: the catalog behind the product cache, orders with their consumers
 * behind the outbox, on the modules the configuration turned on. With {@code events} off, the consumers run inside
 * the order's own transaction instead.
 */
public final class Shop implements Service {
    private static final Logger log = LoggerFactory.getLogger(Shop.class);

    private final ShopConfig config;
    private final List<Subscription> subscriptions = new ArrayList<>();

    public Shop(ShopConfig config) {
        this.config = config;
    }

    /** {@code /plaintext} and {@code /json} need no module: they answer from the moment the server binds. */
    @Override
    public void routesWhileStarting(ServeMux mux) {
        HelloRoutes.register(mux);
    }

    @Override
    public void start(Modules modules, ServeMux mux) throws Exception {
        // Jackson's first serialisation takes a few hundred milliseconds of class loading: done beside the seeding,
        // so that /json does not pay for it. Not earlier: before the server is up it would compete for the cores
        // with reading the configuration and binding, and then with the first requests.
        Thread.ofPlatform().daemon().name("shop-warm-up").start(HelloRoutes::warmUp);
        Transactions db = new Transactions(modules.db().dataSource());
        ProductStore store = new ProductStore();
        ReviewStore reviewStore = new ReviewStore();
        seed(db, store, reviewStore);
        Cache<Long, Product> products = modules.caches().cache("products", KeyCodec.longs(), Product.class);
        Cache<Long, ProductPage> pageCache = modules.caches().cache("productPages", KeyCodec.longs(),
                ProductPage.class);
        Catalog catalog = new Catalog(db, store, products, pageCache);
        ProductPages pages = new ProductPages(db, store, reviewStore, new WarehouseStockStore(), pageCache);
        Reviews reviews = new Reviews(db, reviewStore, store, pageCache, Clock.systemUTC());

        PointsLedger ledger = new PointsLedger();
        OrderStore orderStore = new OrderStore();
        Fulfilment fulfilment = new Fulfilment(db, orderStore, List.of(new InventoryConsumer(),
                new PointsConsumer(ledger), new NotificationConsumer()), config.slowConsumer(),
                config.slowConsumerDelay());
        OrderEvents events = fulfilment::processAll;
        if (modules.has(Events.class)) {
            Events transport = modules.events();
            OutboxOrderEvents outbox = new OutboxOrderEvents(transport.outbox(), fulfilment);
            subscriptions.addAll(outbox.subscribe(transport));
            events = outbox;
        }

        // Refusals become JSON (400 naming each bad field, 404, 409); an exhausted pool becomes 503 with Retry-After.
        Middleware errors = Middleware.chain(new PoolExhaustedMiddleware(ErrorResponses::write), new ErrorResponses());
        ProductRoutes productRoutes = new ProductRoutes(catalog);
        OrderRoutes orderRoutes = new OrderRoutes(new OrderService(db, catalog, orderStore, fulfilment, events));
        UserRoutes userRoutes = new UserRoutes(db, ledger);
        mux.handle("GET /products/{id}", errors.wrap(productRoutes.get()));
        mux.handle("PUT /products/{id}", errors.wrap(productRoutes.put()));
        mux.handle("GET /products/{id}/page", errors.wrap(new ProductPageRoutes(pages).get()));
        mux.handle("POST /products/{id}/reviews", errors.wrap(new ReviewRoutes(reviews).post()));
        mux.handle("POST /orders", errors.wrap(orderRoutes.post()));
        mux.handle("GET /orders/{id}", errors.wrap(orderRoutes.get()));
        mux.handle("GET /users/{id}/points", errors.wrap(userRoutes.points()));
        log.info("events {}{}", modules.has(Events.class) ? "through the outbox" : "off: consumers in the order's"
                + " transaction", config.slowConsumerDelay().isPositive()
                ? ", consumer " + config.slowConsumer() + " slowed by " + config.slowConsumerDelay() : "");
    }

    /** Fills an empty database: the products, their stock in the warehouses, their reviews; each table on its own. */
    private void seed(Transactions db, ProductStore store, ReviewStore reviews) throws Exception {
        long start = System.nanoTime();
        int seeded = CatalogSeed.seedIfEmpty(db, store, config.seedProducts());
        int stock = StockSeed.seedIfEmpty(db);
        long reviewed = ReviewSeed.seedIfEmpty(db, reviews, config.reviewsPerProduct());
        if (seeded + stock + reviewed > 0) {
            log.info("seeded {} products, {} warehouse stock rows and {} reviews in {} ms", seeded, stock, reviewed,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Stops consuming (handlers in flight finish) before the events module closes the transport. */
    @Override
    public void stop() {
        for (Subscription s : subscriptions) {
            try {
                s.close();
            } catch (Exception e) {
                log.warn("closing the subscription {} failed: {}", s, e.toString());
            }
        }
    }
}
