package dev.weft.events;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.weft.events.jdbc.EventMigrations;
import dev.weft.events.jdbc.EventTables;
import dev.weft.testkit.Services;

/** Pools for the tests (a private in-memory H2 database, or the machine's PostgreSQL) and the shipped migrations. */
public final class TestDatabases {
    private TestDatabases() {}

    /** A private in-memory H2 database in PostgreSQL mode, as the shop's embedded default runs it. */
    public static HikariDataSource h2() {
        return h2("MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
    }

    /** A private in-memory H2 database with {@code settings} ({@code MODE=PostgreSQL}, or none for H2's own). */
    public static HikariDataSource h2(String settings) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl("jdbc:h2:mem:events_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1"
                + (settings.isEmpty() ? "" : ";" + settings));
        c.setMaximumPoolSize(8);
        c.setPoolName("async-events-h2");
        return new HikariDataSource(c);
    }

    public static HikariDataSource postgres() {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(Services.postgres().url());
        c.setUsername(Services.postgres().user());
        c.setPassword(Services.postgres().password());
        c.setMaximumPoolSize(8);
        c.setPoolName("async-events-pg");
        return new HikariDataSource(c);
    }

    /** A short random suffix for table, exchange and queue names. */
    public static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /**
     * Applies this module's shipped migrations for {@code tables} the way a service's Flyway does: their own
     * location, history table and placeholders, baselined at 0 because the schema may hold other tables. Returns
     * how many migrations ran.
     */
    public static int migrate(DataSource dataSource, EventTables tables) {
        EventMigrations m = tables.migrations();
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(m.location())
                .table(m.historyTable())
                .placeholders(m.placeholders())
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate()
                .migrationsExecuted;
    }

    /** Drops the tables of {@code tables} and their migration history, where tests share a database. */
    public static void drop(DataSource dataSource, EventTables tables) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + tables.outbox());
            s.execute("DROP TABLE IF EXISTS " + tables.processedEvents());
            s.execute("DROP TABLE IF EXISTS " + tables.migrations().historyTable());
        }
    }
}
