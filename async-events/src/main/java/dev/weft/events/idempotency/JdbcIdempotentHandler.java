package dev.weft.events.idempotency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import dev.weft.config.Problems;
import dev.weft.events.Configs;
import dev.weft.events.Envelope;
import dev.weft.events.EventHandler;
import dev.weft.events.jdbc.EventTables;
import dev.weft.events.metrics.EventMetrics;

/**
 * Makes a handler process each event id at most once per consumer group, which together with at-least-once
 * delivery gives effectively-once processing.
 *
 * <p>For each event, in one transaction: insert {@code (group, event id)} into the processed-events table, then run
 * the handler with the same connection, then commit. The primary key does the deduplication: a second delivery's
 * insert fails with a unique violation (SQLState 23505), the transaction is rolled back and the event is
 * acknowledged as a duplicate. If two deliveries of one event race, the second insert waits for the first
 * transaction: it fails if that commits and goes ahead if that rolls back. If the handler throws, the whole
 * transaction rolls back, so the event counts as not processed and its retry runs the handler again.
 *
 * <p>Only the handler's database writes are covered; a side effect outside the transaction (an e-mail, an HTTP
 * call) can still happen twice when a commit fails after it, so such handlers should send idempotently too.
 */
public final class JdbcIdempotentHandler implements EventHandler {
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;
    private final String group;
    private final TransactionalEventHandler handler;
    private final EventMetrics metrics;
    private final String insertSql;

    public JdbcIdempotentHandler(DataSource dataSource, EventTables tables, String group,
                                 TransactionalEventHandler handler, EventMetrics metrics) {
        Problems problems = new Problems();
        tables.validate("events.outbox.tables", problems);
        Configs.name("group", group, problems);
        problems.throwIfAny();
        this.dataSource = dataSource;
        this.group = group;
        this.handler = handler;
        this.metrics = metrics;
        this.insertSql = "INSERT INTO " + tables.processedEvents() + " (consumer_group, event_id) VALUES (?, ?)";
    }

    @Override
    public void handle(Envelope event) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!markProcessed(c, event)) {
                    c.rollback();
                    metrics.duplicate(group);
                    return;
                }
                handler.handle(event, c);
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** True if this transaction is the first to process the event; false if it was processed before. */
    private boolean markProcessed(Connection c, Envelope event) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertSql)) {
            ps.setString(1, group);
            ps.setString(2, event.id());
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }
}
