package dev.weft.events.inprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import dev.weft.events.ConsumerConfig;
import dev.weft.events.Envelope;
import dev.weft.events.EnvelopeCodec;
import dev.weft.events.TestDatabases;
import dev.weft.events.jdbc.EventTables;
import dev.weft.events.metrics.EventMetrics;
import dev.weft.events.outbox.Outbox;
import dev.weft.events.outbox.OutboxConfig;
import dev.weft.events.outbox.OutboxRelay;

class InProcessBusTest {
    private final EventMetrics metrics = EventMetrics.noop();
    private final ConsumerConfig config = new ConsumerConfig(ConsumerConfig.defaults().prefetch(),
            List.of(Duration.ofMillis(10), Duration.ofMillis(20)), ConsumerConfig.defaults().deliveryLimit(),
            Duration.ofSeconds(2));

    private static Envelope order(int n) {
        return Envelope.of("order.created", 1, EnvelopeCodec.mapper().createObjectNode().put("order", n), null);
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        dev.weft.testkit.Eventually.await(Duration.ofSeconds(5), "the deliveries", condition::getAsBoolean);
    }

    @Test
    void everyMatchingGroupGetsItsOwnCopy() throws Exception {
        try (InProcessBus bus = new InProcessBus(config, metrics)) {
            ConcurrentHashMap<String, AtomicInteger> got = new ConcurrentHashMap<>();
            for (String g : List.of("inventory", "points", "notification")) {
                bus.subscribe(g, List.of("order.*"), e -> got.computeIfAbsent(g, k -> new AtomicInteger())
                        .incrementAndGet());
            }
            bus.subscribe("payments", List.of("payment.#"), e -> got.computeIfAbsent("payments",
                    k -> new AtomicInteger()).incrementAndGet());
            bus.publish(order(1)).get(5, TimeUnit.SECONDS);
            assertEquals(1, got.get("inventory").get());
            assertEquals(1, got.get("points").get());
            assertEquals(1, got.get("notification").get());
            assertTrue(!got.containsKey("payments"));
            assertEquals(1, metrics.count("weft.events.consumed", "group", "points", "outcome", "processed"));
        }
    }

    @Test
    void anUnroutableEventFailsToPublish() {
        try (InProcessBus bus = new InProcessBus(config, metrics)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> bus.publish(order(1)).get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("unroutable"));
        }
    }

    @Test
    void aFailingGroupIsRetriedThenParkedAndReplayedWhileOthersAreUnaffected() throws Exception {
        try (InProcessBus bus = new InProcessBus(config, metrics)) {
            AtomicBoolean broken = new AtomicBoolean(true);
            AtomicInteger attempts = new AtomicInteger();
            AtomicInteger pointsDone = new AtomicInteger();
            AtomicInteger inventoryDone = new AtomicInteger();
            bus.subscribe("inventory", List.of("order.*"), e -> inventoryDone.incrementAndGet());
            bus.subscribe("points", List.of("order.*"), e -> {
                attempts.incrementAndGet();
                if (broken.get()) {
                    throw new IllegalStateException("points service down");
                }
                pointsDone.incrementAndGet();
            });
            bus.publish(order(1)).get(5, TimeUnit.SECONDS);
            assertEquals(1, inventoryDone.get());
            await(() -> bus.size("points") == 1);
            assertEquals(3, attempts.get(), "first attempt and two retries");
            assertEquals(2, metrics.count("weft.events.retried", "group", "points"));
            assertEquals(1, metrics.count("weft.events.dead_lettered", "group", "points"));
            broken.set(false);
            assertEquals(1, bus.replay("points", 10));
            await(() -> pointsDone.get() == 1);
            assertEquals(0, bus.size("points"));
            assertEquals(1, inventoryDone.get(), "replay goes to the parked group only");
        }
    }

    @Test
    void closeWaitsForHandlersInFlight() throws Exception {
        InProcessBus bus = new InProcessBus(config, metrics);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        bus.subscribe("slow", List.of("#"), e -> {
            started.countDown();
            Thread.sleep(200); // the handler's slowness is the input: close() is called while it runs
            finished.set(true);
        });
        var done = bus.publish(order(1));
        started.await();
        bus.close();
        assertTrue(finished.get(), "close returned before the handler finished");
        done.get(1, TimeUnit.SECONDS);
    }

    @Test
    void deliversFromTheOutboxAtLeastOnceAndIdempotentHandlersOnce() throws Exception {
        EventTables tables = EventTables.defaults();
        try (HikariDataSource db = TestDatabases.h2(); InProcessBus bus = new InProcessBus(config, metrics)) {
            TestDatabases.migrate(db, tables);
            ConcurrentHashMap<String, AtomicInteger> effects = new ConcurrentHashMap<>();
            bus.subscribe("inventory", List.of("order.created"), new dev.weft.events.idempotency.JdbcIdempotentHandler(
                    db, tables, "inventory", (e, tx) -> effects.computeIfAbsent(e.id(), k -> new AtomicInteger())
                    .incrementAndGet(), metrics));
            Outbox outbox = new Outbox(tables);
            Envelope e = order(1);
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                outbox.add(c, e);
                c.commit();
            }
            OutboxRelay relay = new OutboxRelay(db, bus, OutboxConfig.defaults(), metrics);
            assertEquals(1, relay.relayOnce());
            bus.publish(e).get(5, TimeUnit.SECONDS); // a redelivery, as after a crash before the row was marked
            assertEquals(1, effects.get(e.id()).get());
            assertEquals(1, metrics.count("weft.events.duplicates", "group", "inventory"));
        }
    }
}
