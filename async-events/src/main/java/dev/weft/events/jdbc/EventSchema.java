package dev.weft.events.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

/**
 * The DDL of the outbox and processed-events tables, shipped as classpath resources
 * ({@code dev/weft/events/sql/postgresql.sql} and {@code h2.sql}), and the method that creates them if missing.
 */
public final class EventSchema {
    private EventSchema() {}

    /** The databases the outbox and the idempotency table run on. */
    public enum Dialect {
        POSTGRESQL("postgresql.sql"),
        H2("h2.sql");

        private final String resource;

        Dialect(String resource) {
            this.resource = resource;
        }

        /** The dialect of the database behind {@code connection}, or an error naming the supported ones. */
        public static Dialect of(Connection connection) throws SQLException {
            String product = connection.getMetaData().getDatabaseProductName();
            String p = product.toLowerCase(Locale.ROOT);
            if (p.contains("postgresql")) {
                return POSTGRESQL;
            }
            if (p.equals("h2")) {
                return H2;
            }
            throw new SQLException("async-events supports PostgreSQL and H2, not " + product);
        }
    }

    /** Creates both tables and their indexes unless they exist, in one transaction. */
    public static void create(DataSource dataSource, EventTables tables) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : statements(Dialect.of(c), tables)) {
                    s.execute(sql);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** Drops both tables if they exist (tests, and undoing {@link #create}). */
    public static void drop(DataSource dataSource, EventTables tables) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + tables.outbox());
            s.execute("DROP TABLE IF EXISTS " + tables.processedEvents());
        }
    }

    /** The DDL statements for {@code dialect}, with the default table names replaced by {@code tables}. */
    public static List<String> statements(Dialect dialect, EventTables tables) {
        String script = ddl(dialect)
                .replace(EventTables.DEFAULT_PROCESSED_EVENTS, "\u0001")
                .replace(EventTables.DEFAULT_OUTBOX, "\u0002")
                .replace("\u0001", tables.processedEvents())
                .replace("\u0002", tables.outbox());
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                statements.add(current.substring(0, current.lastIndexOf(";")).strip());
                current.setLength(0);
            }
        }
        return statements;
    }

    /** The DDL script for {@code dialect}, as shipped. */
    public static String ddl(Dialect dialect) {
        String path = "/dev/weft/events/sql/" + dialect.resource;
        try (InputStream in = EventSchema.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
