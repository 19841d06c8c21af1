package dev.weft.events.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.weft.config.ConfigException;
import dev.weft.config.ConfigTree;
import dev.weft.events.ConsumerConfig;
import dev.weft.events.Envelope;
import dev.weft.events.EnvelopeCodec;
import dev.weft.events.TestDatabases;
import dev.weft.events.jdbc.EventTables;
import dev.weft.events.rabbit.RabbitConfig;
import dev.weft.events.rabbit.RabbitTopology;
import dev.weft.testkit.Services;

/** The entry point: what a service opens from its {@code events} section, on H2 and on the real services. */
class EventsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** The service's side: an order and its event in one transaction, through the handle's outbox. */
    private static Envelope placeOrder(DataSource db, Events events, String item) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            Envelope event = Envelope.of("order.created", 1, EnvelopeCodec.mapper().createObjectNode()
                    .put("item", item), "req-" + item);
            events.outbox().add(c, event);
            c.commit();
            return event;
        }
    }

    private static void createEffects(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE effects (consumer_group VARCHAR(50) NOT NULL, event_id VARCHAR(64) NOT NULL)");
        }
    }

    private static void recordEffect(Connection tx, String group, Envelope event) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO effects VALUES (?, ?)")) {
            ps.setString(1, group);
            ps.setString(2, event.id());
            ps.executeUpdate();
        }
    }

    private static long count(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void await(String what, Condition condition) {
        dev.weft.testkit.Eventually.await(Duration.ofSeconds(20), what, condition::met);
    }

    private interface Condition {
        boolean met() throws Exception;
    }

    @Test
    void inProcessAServiceWritesOnlyItsConsumersAndItsOutboxWrites() throws Exception {
        EventsConfig config = ConfigTree.parse("weft.yaml", """
                mode: inprocess
                consumer: {retryDelays: [10ms]}
                outbox: {pollInterval: 10ms}
                """).read(EventsConfig::from);
        try (HikariDataSource db = TestDatabases.h2()) {
            TestDatabases.migrate(db, config.outbox().tables());
            createEffects(db);
            try (Events events = Events.open(config, db, registry)) {
                for (String group : List.of("inventory", "points")) {
                    events.subscribe(group, List.of("order.*"),
                            events.idempotent(group, (event, tx) -> recordEffect(tx, group, event)));
                }
                events.healthCheck().check();
                Envelope event = placeOrder(db, events, "book");
                await("both groups processed the order", () -> count(db, "SELECT COUNT(*) FROM effects") == 2);
                await("the outbox row marked sent", () -> count(db,
                        "SELECT COUNT(*) FROM weft_outbox WHERE sent_at IS NOT NULL") == 1);

                events.publisher().publish(event).get(5, TimeUnit.SECONDS); // a redelivery
                assertEquals(2, count(db, "SELECT COUNT(*) FROM effects"), "each group processed it once");
                assertEquals(1.0, registry.get("weft.events.duplicates").tag("group", "inventory").counter().count());
                assertEquals(0, events.parkingLot().size("inventory"));
            }
        }
    }

    @Test
    void closingStopsTheRelayThenLetsTheHandlerInFlightFinish() throws Exception {
        EventsConfig config = ConfigTree.of(Map.of("outbox", Map.of("pollInterval", Duration.ofMillis(10))))
                .read(EventsConfig::from);
        try (HikariDataSource db = TestDatabases.h2()) {
            TestDatabases.migrate(db, config.outbox().tables());
            CountDownLatch started = new CountDownLatch(1);
            AtomicBoolean finished = new AtomicBoolean();
            Events events = Events.open(config, db, registry);
            events.subscribe("slow", List.of("order.*"), e -> {
                started.countDown();
                Thread.sleep(300); // the handler's slowness is the input: close() is called while it runs
                finished.set(true);
            });
            placeOrder(db, events, "lamp");
            assertTrue(started.await(10, TimeUnit.SECONDS));
            events.close();
            assertTrue(finished.get(), "close returned before the handler finished");
            assertEquals(0, count(db, "SELECT COUNT(*) FROM weft_outbox WHERE sent_at IS NULL"),
                    "the relay's last round was marked sent before it stopped");

            placeOrder(db, events, "after-close");
            assertEquals(1, count(db, "SELECT COUNT(*) FROM weft_outbox WHERE sent_at IS NULL"),
                    "an event written after close waits in the outbox for the next start");
            events.close(); // idempotent
        }
    }

    @Test
    void openRefusesAConfigurationBuiltInCodeWithEveryProblem() {
        EventsConfig d = EventsConfig.defaults();
        EventsConfig bad = new EventsConfig(EventsConfig.Mode.RABBITMQ,
                new RabbitConfig("", 5672, "guest", "guest", "/", "weft.events", "weft", 4, 100,
                        Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(15)),
                new ConsumerConfig(0, List.of(), 5, Duration.ofSeconds(30)), d.outbox());
        ConfigException e = assertThrows(ConfigException.class,
                () -> Events.open(bad, TestDatabases.h2(), registry));
        assertEquals(List.of(
                "events.rabbitmq.host: must be set",
                "events.consumer.prefetch: must be between 1 and 65535, was 0"), e.problems());
    }

    @Test
    void inRabbitmqModeABrokerThatIsDownFailsTheHealthCheckNotTheStart() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        EventsConfig config = ConfigTree.of(Map.of("mode", "rabbitmq", "rabbitmq", Map.of("port", closedPort,
                "connectionName", "weft-async-events-down-" + TestDatabases.suffix()))).read(EventsConfig::from);
        try (HikariDataSource db = TestDatabases.h2()) {
            TestDatabases.migrate(db, config.outbox().tables());
            try (Events events = Events.open(config, db, registry)) {
                Exception e = assertThrows(IllegalStateException.class, () -> events.healthCheck().check());
                assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
                placeOrder(db, events, "book");
                assertEquals(1, count(db, "SELECT COUNT(*) FROM weft_outbox WHERE sent_at IS NULL"),
                        "the order's event waits in the outbox");
            }
        }
    }

    @Test
    void onTheRealRabbitmqAndPostgresql() throws Exception {
        Services.requireRabbitMq();
        Services.requirePostgres();
        String suffix = TestDatabases.suffix();
        EventTables tables = EventTables.suffixed(suffix);
        String effects = "weft_effects_" + suffix;
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "WEFT_EVENTS_RABBITMQ_HOST", Services.rabbitMq().host(),
                "WEFT_EVENTS_RABBITMQ_PORT", Integer.toString(Services.rabbitMq().port()),
                "WEFT_EVENTS_RABBITMQ_USERNAME", Services.rabbitMq().user(),
                "WEFT_EVENTS_RABBITMQ_PASSWORD", Services.rabbitMq().password(),
                "WEFT_EVENTS_RABBITMQ_VIRTUAL_HOST", Services.rabbitMq().virtualHost()));
        env.putAll(Map.of(
                "WEFT_EVENTS_MODE", "rabbitmq",
                "WEFT_EVENTS_RABBITMQ_EXCHANGE", "weft.async-events.it." + suffix,
                "WEFT_EVENTS_RABBITMQ_CONNECTION_NAME", "weft-async-events-it-" + suffix,
                "WEFT_EVENTS_CONSUMER_RETRY_DELAYS", "50ms",
                "WEFT_EVENTS_OUTBOX_POLL_INTERVAL", "20ms",
                "WEFT_EVENTS_OUTBOX_TABLES_OUTBOX", tables.outbox(),
                "WEFT_EVENTS_OUTBOX_TABLES_PROCESSED_EVENTS", tables.processedEvents()));
        ConfigTree tree = ConfigTree.empty().withOverrides(env, Map.of());
        EventsConfig config = EventsConfig.from(tree.section("events"));
        tree.throwIfProblems();
        List<String> groups = List.of("inventory", "points");
        try (HikariDataSource db = TestDatabases.postgres()) {
            try {
                TestDatabases.migrate(db, config.outbox().tables());
                try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE " + effects + " (consumer_group VARCHAR(50), event_id VARCHAR(64))");
                }
                try (Events events = Events.open(config, db, registry)) {
                    for (String group : groups) {
                        events.subscribe(group, List.of("order.*"), events.idempotent(group, (event, tx) -> {
                            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO " + effects
                                    + " VALUES (?, ?)")) {
                                ps.setString(1, group);
                                ps.setString(2, event.id());
                                ps.executeUpdate();
                            }
                        }));
                    }
                    events.healthCheck().check();
                    for (int i = 0; i < 5; i++) {
                        placeOrder(db, events, "item-" + i);
                    }
                    await("both groups processed five orders", () -> count(db, "SELECT COUNT(*) FROM " + effects)
                            == 10);
                    await("the outbox drained", () -> count(db, "SELECT COUNT(*) FROM " + tables.outbox()
                            + " WHERE sent_at IS NULL") == 0);
                    assertEquals(5.0, registry.get("weft.events.confirmed").tag("transport", "rabbitmq").counter()
                            .count());
                }
            } finally {
                deleteTopology(config, groups);
                TestDatabases.drop(db, tables);
                try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + effects);
                }
            }
        }
    }

    private static void deleteTopology(EventsConfig config, List<String> groups) throws Exception {
        com.rabbitmq.client.ConnectionFactory f = Services.rabbitMq().factory();
        try (com.rabbitmq.client.Connection c = f.newConnection("weft-async-events-admin");
             com.rabbitmq.client.Channel ch = c.createChannel()) {
            RabbitTopology topology = new RabbitTopology(config.rabbitmq().exchange());
            for (String group : groups) {
                topology.deleteGroup(ch, group, config.consumer());
            }
            topology.deleteExchanges(ch);
        }
    }
}
