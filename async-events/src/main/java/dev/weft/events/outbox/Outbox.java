package dev.weft.events.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;

import dev.weft.events.Envelope;
import dev.weft.events.EnvelopeCodec;
import dev.weft.config.Problems;
import dev.weft.events.jdbc.EventTables;

/**
 * Writes events into the outbox table through the caller's own JDBC connection, so that the event commits or rolls
 * back with the business change it describes: no event without its order, no order without its event. The
 * {@link OutboxRelay} publishes committed rows afterwards.
 *
 * <pre>{@code
 * try (Connection c = dataSource.getConnection()) {
 *     c.setAutoCommit(false);
 *     insertOrder(c, order);
 *     outbox.add(c, Envelope.of("order.created", 1, payload, requestId));
 *     c.commit();
 * }
 * }</pre>
 *
 * <p>This class never commits, rolls back or closes the connection. Thread-safe and stateless apart from the table
 * name. A relay in the same process hands out its own ({@link OutboxRelay#outbox()}), which wakes it after each
 * write; rows written through any other are found at the relay's idle poll.
 */
public final class Outbox {
    private final String insertSql;
    private final Runnable added;

    public Outbox(EventTables tables) {
        this(tables, () -> { });
    }

    /** With {@code added} run after each {@link #add} or {@link #addAll}, before the caller's transaction ends. */
    Outbox(EventTables tables, Runnable added) {
        Problems.requireValid("events.outbox.tables", tables, EventTables::validate);
        this.insertSql = "INSERT INTO " + tables.outbox()
                + " (event_id, event_type, envelope, created_at) VALUES (?, ?, ?, ?)";
        this.added = added;
    }

    /** Adds one event in the connection's current transaction. A second row with the same event id is refused. */
    public void add(Connection connection, Envelope event) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(insertSql)) {
            bind(ps, event);
            ps.executeUpdate();
        }
        added.run();
    }

    /** Adds several events in the connection's current transaction, in one batch. */
    public void addAll(Connection connection, Iterable<Envelope> events) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(insertSql)) {
            for (Envelope event : events) {
                bind(ps, event);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        added.run();
    }

    private static void bind(PreparedStatement ps, Envelope event) throws SQLException {
        ps.setString(1, event.id());
        ps.setString(2, event.type());
        ps.setString(3, new String(EnvelopeCodec.encode(event), StandardCharsets.UTF_8));
        ps.setObject(4, event.occurredAt().atOffset(ZoneOffset.UTC));
    }
}
