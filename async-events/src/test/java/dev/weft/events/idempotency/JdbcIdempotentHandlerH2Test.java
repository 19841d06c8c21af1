package dev.weft.events.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import dev.weft.events.Envelope;
import dev.weft.events.EnvelopeCodec;
import dev.weft.events.TestDatabases;
import dev.weft.events.jdbc.EventTables;
import dev.weft.events.metrics.EventMetrics;

class JdbcIdempotentHandlerH2Test {
    private HikariDataSource db;
    private final EventTables tables = EventTables.defaults();
    private final EventMetrics metrics = EventMetrics.noop();

    @BeforeEach
    void setUp() throws SQLException {
        db = TestDatabases.h2();
        TestDatabases.migrate(db, tables);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE stock (event_id VARCHAR(64), group_name VARCHAR(64))");
        }
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private TransactionalEventHandler recordStock(String group, AtomicBoolean fail) {
        return (e, tx) -> {
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO stock VALUES (?, ?)")) {
                ps.setString(1, e.id());
                ps.setString(2, group);
                ps.executeUpdate();
            }
            if (fail.get()) {
                throw new IllegalStateException("handler failed after its write");
            }
        };
    }

    private List<String> stock() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT group_name FROM stock ORDER BY group_name")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    @Test
    void processesAnEventOncePerGroup() throws Exception {
        AtomicBoolean fail = new AtomicBoolean();
        var inventory = new JdbcIdempotentHandler(db, tables, "inventory", recordStock("inventory", fail), metrics);
        var points = new JdbcIdempotentHandler(db, tables, "points", recordStock("points", fail), metrics);
        Envelope e = Envelope.of("order.created", 1, EnvelopeCodec.mapper().createObjectNode(), null);
        inventory.handle(e);
        inventory.handle(e);
        points.handle(e);
        assertEquals(List.of("inventory", "points"), stock());
        assertEquals(1, metrics.count("weft.events.duplicates", "group", "inventory"));
    }

    @Test
    void aFailedHandlerLeavesNoTraceSoItsRetryRuns() throws Exception {
        AtomicBoolean fail = new AtomicBoolean(true);
        var inventory = new JdbcIdempotentHandler(db, tables, "inventory", recordStock("inventory", fail), metrics);
        Envelope e = Envelope.of("order.created", 1, EnvelopeCodec.mapper().createObjectNode(), null);
        assertThrows(IllegalStateException.class, () -> inventory.handle(e));
        assertEquals(List.of(), stock());
        fail.set(false);
        inventory.handle(e);
        assertEquals(List.of("inventory"), stock());
    }
}
