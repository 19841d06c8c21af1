package dev.weft.shop.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.weft.cache.Caches;
import dev.weft.cache.CachesConfig;
import dev.weft.cache.codec.KeyCodec;
import dev.weft.config.ConfigTree;
import dev.weft.dbpool.DbPool;
import dev.weft.dbpool.DbPoolConfig;
import dev.weft.shop.catalog.Catalog;
import dev.weft.shop.catalog.CatalogSeed;
import dev.weft.shop.catalog.Product;
import dev.weft.shop.catalog.ProductChange;
import dev.weft.shop.catalog.ProductStore;
import dev.weft.shop.db.Transactions;
import dev.weft.shop.db.Tx;
import dev.weft.shop.inventory.InventoryConsumer;
import dev.weft.shop.notifications.NotificationConsumer;
import dev.weft.shop.pages.ProductPage;
import dev.weft.shop.users.PointsConsumer;
import dev.weft.shop.users.PointsLedger;
import dev.weft.shop.web.ApiError;

/**
 * The order flow below HTTP, on the embedded H2: exactly-once consumers, all-or-nothing orders, and stock reserved
 * in the order's transaction.
 */
class FulfilmentTest {
    private DbPool pool;
    private Caches caches;
    private Transactions db;
    private Catalog catalog;
    private Fulfilment fulfilment;
    private OrderService synchronous;
    private final PointsLedger ledger = new PointsLedger();

    @BeforeEach
    void setUp() throws Exception {
        String url = "jdbc:h2:mem:fulfilment" + UUID.randomUUID().toString().substring(0, 8)
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        pool = DbPool.open(ConfigTree.of(Map.of("url", url, "username", "sa", "maximumPoolSize", 2))
                .read(DbPoolConfig::from));
        pool.migrate();
        db = new Transactions(pool.dataSource());
        caches = Caches.open(ConfigTree.of(Map.of("mode", "off")).read(CachesConfig::from), new SimpleMeterRegistry());
        catalog = new Catalog(db, new ProductStore(), caches.cache("products", KeyCodec.longs(), Product.class),
                caches.cache("productPages", KeyCodec.longs(), ProductPage.class));
        CatalogSeed.seedIfEmpty(db, catalog.store(), 10);
        OrderStore orders = new OrderStore();
        fulfilment = new Fulfilment(db, orders, List.of(new InventoryConsumer(), new PointsConsumer(ledger),
                new NotificationConsumer()), null, Duration.ZERO);
        synchronous = new OrderService(db, catalog, orders, fulfilment, fulfilment::processAll);
    }

    @AfterEach
    void tearDown() {
        caches.close();
        pool.close();
    }

    @Test
    void synchronousOrderIsProcessedByEveryConsumerBeforeItReturns() throws Exception {
        long price = catalog.get(3).priceCents();
        Order order = synchronous.place(new OrderRequest(3, 2, 77));

        Map<String, Object> view = synchronous.describe(order.id());
        assertEquals(true, view.get("complete"), view.toString());
        assertEquals(CatalogSeed.SEED_STOCK - 2, catalog.get(3).stock());
        assertEquals(price * 2 / 100, (long) db.read(c -> ledger.balance(c, 77)));
    }

    @Test
    void aRedeliveredEventChangesNothing() throws Exception {
        OrderService queued = new OrderService(db, catalog, new OrderStore(), fulfilment, (tx, e) -> {});
        Order order = queued.place(new OrderRequest(4, 5, 8));
        OrderCreated event = new OrderCreated(order.id(), 4, 8, 5, order.totalCents());
        OrderCreatedConsumer points = fulfilment.consumers().get(1);

        assertEquals(false, queued.describe(order.id()).get("complete"));
        assertTrue(fulfilment.process(points, event));
        assertFalse(fulfilment.process(points, event));
        assertEquals(order.totalCents() / 100, (long) db.read(c -> ledger.balance(c, 8)), "credited once");
        assertEquals(CatalogSeed.SEED_STOCK - 5, catalog.get(4).stock());
    }

    @Test
    void insufficientStockIsAConflictAndWritesNothing() throws Exception {
        setStock(5, 3);
        ApiError e = assertThrows(ApiError.class, () -> synchronous.place(new OrderRequest(5, 4, 9)));
        assertEquals(409, e.status());
        assertEquals(3, catalog.get(5).stock());
        assertEquals(0L, count("orders"));
        assertEquals(0L, count("points_credits"));
    }

    @Test
    void ordersRacingForTheLastItemsGetThemOrA409NeverBoth() throws Exception {
        OrderService queued = new OrderService(db, catalog, new OrderStore(), fulfilment, (tx, e) -> {});
        setStock(6, 10);
        List<Callable<Integer>> buyers = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            buyers.add(() -> {
                try {
                    queued.place(new OrderRequest(6, 1, 1));
                    return 201;
                } catch (ApiError e) {
                    return e.status();
                }
            });
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> status : threads.invokeAll(buyers)) {
                statuses.add(status.get());
            }
        }

        assertEquals(10, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(15, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(0, catalog.get(6).stock());
        assertEquals(10L, count("orders"));
    }

    @Test
    void anOrderThatFindsTheStockTakenIsRefusedAndWritesNothing() throws Exception {
        OrderService queued = new OrderService(db, catalog, new OrderStore(), fulfilment, (tx, e) -> {});
        setStock(8, 3);
        Order first = queued.place(new OrderRequest(8, 2, 1));
        assertEquals(1, catalog.get(8).stock(), "reserved in the order's transaction, before any consumer ran");
        ApiError second = assertThrows(ApiError.class, () -> queued.place(new OrderRequest(8, 2, 1)));
        assertEquals(409, second.status());
        assertEquals("insufficient stock: product 8 has 1, 2 requested", second.getMessage());

        fulfilment.process(fulfilment.consumers().getFirst(),
                new OrderCreated(first.id(), 8, 1, 2, first.totalCents()));
        assertEquals(1, catalog.get(8).stock(), "inventory confirms the reservation, it does not take the stock twice");
        assertEquals(1L, count("orders"));
    }

    @Test
    void anUnknownProductIsA404() {
        ApiError e = assertThrows(ApiError.class, () -> synchronous.place(new OrderRequest(999, 1, 1)));
        assertEquals(404, e.status());
    }

    @Test
    void aFailingConsumerRollsTheWholeSynchronousOrderBack() throws Exception {
        OrderCreatedConsumer broken = new OrderCreatedConsumer() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public String apply(Tx tx, OrderCreated event) throws SQLException {
                throw new SQLException("downstream failed");
            }
        };
        Fulfilment failing = new Fulfilment(db, new OrderStore(),
                List.of(new InventoryConsumer(), broken), null, Duration.ZERO);
        OrderService service = new OrderService(db, catalog, new OrderStore(), failing, failing::processAll);

        assertThrows(SQLException.class, () -> service.place(new OrderRequest(7, 1, 1)));
        assertEquals(CatalogSeed.SEED_STOCK, catalog.get(7).stock());
        assertEquals(0L, count("orders"));
    }

    private void setStock(long id, int stock) throws Exception {
        Product p = catalog.get(id);
        catalog.update(id, new ProductChange(p.name(), p.priceCents(), stock));
    }

    private long count(String table) throws SQLException {
        return db.read(c -> {
            try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
