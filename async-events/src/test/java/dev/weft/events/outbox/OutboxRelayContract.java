package dev.weft.events.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import dev.weft.config.ConfigTree;
import dev.weft.events.Envelope;
import dev.weft.events.EnvelopeCodec;
import dev.weft.events.EventPublisher;
import dev.weft.events.TestDatabases;
import dev.weft.events.jdbc.EventTables;
import dev.weft.events.metrics.EventMetrics;
import dev.weft.testkit.Eventually;

/** What every database the outbox runs on must do; one subclass per database. */
abstract class OutboxRelayContract {
    private HikariDataSource db;
    private final EventTables tables = tables();
    private final EventMetrics metrics = EventMetrics.noop();
    private final Outbox outbox = new Outbox(tables);
    private final OutboxConfig config = config(Map.of());

    abstract HikariDataSource open();

    abstract EventTables tables();

    /** This test's settings with {@code changes} over them, read as a service's file is. */
    private OutboxConfig config(Map<String, ?> changes) {
        Map<String, Object> settings = new HashMap<>(Map.of(
                "tables", Map.of("outbox", tables.outbox(), "processedEvents", tables.processedEvents()),
                "batchSize", 10,
                "pollInterval", Duration.ofMillis(10),
                "publishTimeout", Duration.ofSeconds(2),
                "retryBackoff", Duration.ofMillis(50)));
        settings.putAll(changes);
        return ConfigTree.of(settings).read(OutboxConfig::from);
    }

    @BeforeEach
    void setUp() {
        db = open();
        assertEquals(1, TestDatabases.migrate(db, tables));
        assertEquals(0, TestDatabases.migrate(db, tables), "applied once");
    }

    @AfterEach
    void tearDown() throws SQLException {
        try {
            TestDatabases.drop(db, tables);
        } finally {
            db.close();
        }
    }

    private static Envelope event(int n) {
        return Envelope.of("order.created", 1, EnvelopeCodec.mapper().createObjectNode().put("order", n), "c" + n);
    }

    private void write(Envelope e, boolean commit) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            outbox.add(c, e);
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
        }
    }

    private long count(String where) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + tables.outbox() + " WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aRolledBackEventIsNeverPublished() throws Exception {
        write(event(1), false);
        List<Envelope> published = new ArrayList<>();
        OutboxRelay relay = new OutboxRelay(db, e -> {
            published.add(e);
            return CompletableFuture.completedFuture(null);
        }, config, metrics);
        assertEquals(0, relay.relayOnce());
        assertTrue(published.isEmpty());
    }

    @Test
    void marksRowsSentOnlyAfterTheConfirm() throws Exception {
        for (int i = 0; i < 25; i++) {
            write(event(i), true);
        }
        Set<String> published = ConcurrentHashMap.newKeySet();
        OutboxRelay relay = new OutboxRelay(db, e -> {
            published.add(e.id());
            return CompletableFuture.completedFuture(null);
        }, config, metrics);
        relay.refreshStats();
        assertEquals(25, metrics.outboxPending());
        assertTrue(metrics.outboxOldestAge().toMillis() >= 0);
        assertEquals(10, relay.relayOnce());
        assertEquals(10, relay.relayOnce());
        assertEquals(5, relay.relayOnce());
        assertEquals(0, relay.relayOnce());
        assertEquals(25, published.size());
        assertEquals(25, count("sent_at IS NOT NULL"));
        relay.refreshStats();
        assertEquals(0, metrics.outboxPending());
        assertEquals(Duration.ZERO, metrics.outboxOldestAge());
    }

    @Test
    void failedPublishesWaitOutTheOutageThenGoOut() throws Exception {
        for (int i = 0; i < 5; i++) {
            write(event(i), true);
        }
        AtomicBoolean brokerUp = new AtomicBoolean(false);
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        EventPublisher flaky = e -> {
            if (!brokerUp.get()) {
                return CompletableFuture.failedFuture(new java.io.IOException("connection refused"));
            }
            delivered.add(e.id());
            return CompletableFuture.completedFuture(null);
        };
        OutboxConfig slowBackoff = config(Map.of("retryBackoff", Duration.ofSeconds(1)));
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        AtomicReference<Instant> now = new AtomicReference<>(start);
        OutboxRelay relay = new OutboxRelay(db, flaky, slowBackoff, metrics, now::get);
        assertEquals(5, relay.relayOnce());
        assertEquals(0, relay.relayOnce(), "rows in their backoff are not claimed again at once");
        assertEquals(5, count("sent_at IS NULL AND attempts = 1 AND last_error LIKE '%connection refused%'"));
        brokerUp.set(true);
        now.set(start.plusMillis(999));
        assertEquals(0, relay.relayOnce(), "nor 1 ms before their 1 s backoff has run");
        now.set(start.plusMillis(1001));
        assertEquals(5, relay.relayOnce());
        assertEquals(5, delivered.size());
        assertEquals(5, count("sent_at IS NOT NULL AND attempts = 2"));
    }

    @Test
    void anUnconfirmedPublishIsRetriedAfterThePublishTimeout() throws Exception {
        write(event(1), true);
        OutboxRelay relay = new OutboxRelay(db, e -> new CompletableFuture<>(),
                config(Map.of("publishTimeout", Duration.ofMillis(100), "lease", Duration.ofSeconds(1))), metrics);
        assertEquals(1, relay.relayOnce());
        assertEquals(1, count("sent_at IS NULL AND last_error = 'no confirm within publishTimeout'"));
    }

    @Test
    void twoRelaysShareTheRowsWithoutPublishingOneTwice() throws Exception {
        List<Envelope> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(event(i));
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            outbox.addAll(c, events);
            c.commit();
        }
        ConcurrentHashMap<String, Integer> seen = new ConcurrentHashMap<>();
        EventPublisher slowAck = e -> {
            seen.merge(e.id(), 1, Integer::sum);
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(2,
                    java.util.concurrent.TimeUnit.MILLISECONDS));
        };
        try (OutboxRelay a = new OutboxRelay(db, slowAck, config, metrics).start();
             OutboxRelay b = new OutboxRelay(db, slowAck, config, metrics).start()) {
            Eventually.await(Duration.ofSeconds(10), "every row sent", () -> count("sent_at IS NULL") == 0);
        }
        assertEquals(0, count("sent_at IS NULL"));
        assertEquals(200, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "no event published twice: " + seen);
    }

    @Test
    void aWriteThroughTheRelaysOutboxWakesItFromItsIdlePause() throws Exception {
        assertAWokenWriteIsRelayed(0);
    }

    @Test
    void aWokenRelayKeepsPollingUntilTheWritersTransactionCommits() throws Exception {
        // Two rounds begin while the transaction is open, so the first round after the wake has found nothing.
        assertAWokenWriteIsRelayed(2);
    }

    /**
     * Starts a relay that pauses an hour when idle, waits for its first round, writes an event through the relay's
     * own outbox and commits once {@code roundsBeforeCommit} more rounds have begun: the event must be published and
     * marked sent without the hour's wait. Rounds are counted by the relay's clock reads (the first round reads it
     * twice, for its claim and its purge; an empty round after it, once).
     */
    private void assertAWokenWriteIsRelayed(int roundsBeforeCommit) throws Exception {
        Semaphore clockReads = new Semaphore(0);
        CompletableFuture<String> published = new CompletableFuture<>();
        try (OutboxRelay relay = new OutboxRelay(db, e -> {
            published.complete(e.id());
            return CompletableFuture.completedFuture(null);
        }, config(Map.of("idlePollInterval", Duration.ofHours(1))), metrics, () -> {
            clockReads.release();
            return Instant.now();
        }).start()) {
            assertTrue(clockReads.tryAcquire(2, 10, TimeUnit.SECONDS), "the first round");
            Envelope e = event(1);
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                relay.outbox().add(c, e);
                assertTrue(clockReads.tryAcquire(roundsBeforeCommit, 10, TimeUnit.SECONDS), "rounds before the commit");
                c.commit();
            }
            assertEquals(e.id(), published.get(10, TimeUnit.SECONDS));
            Eventually.await(Duration.ofSeconds(10), "the row marked sent", () -> count("sent_at IS NOT NULL") == 1);
        }
    }

    @Test
    void refusesTheSameEventIdTwice() throws Exception {
        Envelope e = event(1);
        write(e, true);
        assertThrows(SQLException.class, () -> write(e, true));
    }

    @Test
    void purgesSentRowsAfterTheRetention() throws Exception {
        write(event(1), true);
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        AtomicReference<Instant> now = new AtomicReference<>(start);
        OutboxRelay relay = new OutboxRelay(db, e -> CompletableFuture.completedFuture(null),
                config(Map.of("sentRetention", Duration.ofMillis(10))), metrics, now::get);
        assertEquals(1, relay.relayOnce());
        now.set(start.plusMillis(10));
        assertEquals(0, relay.purgeSent(), "kept for its whole retention");
        now.set(start.plusMillis(11));
        assertEquals(1, relay.purgeSent());
        assertEquals(0, count("1 = 1"));
    }
}
