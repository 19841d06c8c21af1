package dev.weft.dbpool.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.weft.dbpool.DbPool;
import dev.weft.dbpool.PostgresFixture;
import dev.weft.testkit.Eventually;
import dev.weft.testkit.Services;

/** The same migration files on the real PostgreSQL, in a schema of the test's own. */
class PostgresMigrationTest {
    @TempDir
    Path temp;
    private String schema;

    @BeforeAll
    static void postgres() {
        Services.requirePostgres();
    }

    @BeforeEach
    void createSchema() throws Exception {
        schema = PostgresFixture.uniqueName("dbpool_mig");
        PostgresFixture.execute("CREATE SCHEMA " + schema);
    }

    @AfterEach
    void dropSchema() throws Exception {
        PostgresFixture.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private DbPool pool(int size) {
        return DbPool.open(PostgresFixture.config(schema, Map.of("schema", schema, "maximumPoolSize", size,
                "migrations", List.of("classpath:" + MigrationFiles.LOCATION))));
    }

    private List<String> tables(DbPool pool) throws Exception {
        try (Connection c = pool.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1")) {
            s.setString(1, schema);
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            return tables;
        }
    }

    @Test
    void appliesOnceIntoTheConfiguredSchema() throws Exception {
        try (DbPool pool = pool(2)) {
            assertEquals(List.of("1", "2"), MigrationFiles.versions(pool.migrate()));
            assertEquals(List.of(), pool.migrate());
            assertEquals(List.of("customers", "flyway_schema_history", "orders"), tables(pool));
            try (Connection c = pool.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT status FROM orders")) {
                assertTrue(rs.next());
                assertEquals("PAID; shipped", rs.getString(1));
            }
        }
    }

    @Test
    void instancesStartingTogetherApplyEachVersionOnce() throws Exception {
        // Several rounds on a fresh schema, both instances released at once: the race is at the first look at an
        // empty schema, which one round may miss.
        for (int round = 0; round < 5; round++) {
            PostgresFixture.execute("DROP SCHEMA " + schema + " CASCADE");
            PostgresFixture.execute("CREATE SCHEMA " + schema);
            try (DbPool a = pool(1); DbPool b = pool(1);
                 ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<List<String>>> runs = new ArrayList<>();
                for (DbPool instance : List.of(a, b)) {
                    runs.add(executor.submit(() -> {
                        go.await();
                        List<String> applied = new ArrayList<>(MigrationFiles.versions(instance.migrate()));
                        MigrationFiles.versions(instance.migrate(MigrationFiles.MODULE))
                                .forEach(v -> applied.add("module " + v));
                        return applied;
                    }));
                }
                go.countDown();
                List<String> applied = new ArrayList<>();
                for (Future<List<String>> run : runs) {
                    applied.addAll(run.get());
                }
                assertEquals(List.of("1", "2", "module 1"), applied.stream().sorted().toList(),
                        "round " + round + ": each version applied by exactly one instance");
                assertEquals(List.of("1", "2"),
                        MigrationFiles.applied(a.dataSource(), Migrations.DEFAULT_HISTORY_TABLE));
                assertEquals(List.of("1"), MigrationFiles.applied(a.dataSource(), "module_schema_history"));
            }
        }
    }

    @Test
    void aRunWaitsForTheSetsLockHeldElsewhere() throws Exception {
        try (DbPool pool = pool(1); Connection other = PostgresFixture.admin();
             ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            String key = "hashtext('" + schema + "." + Migrations.DEFAULT_HISTORY_TABLE + "')";
            try (Statement s = other.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + key + ")");
            }
            Future<List<AppliedMigration>> run = executor.submit(() -> pool.migrate());
            Eventually.await(Duration.ofSeconds(10), "the run queues for the set's lock",
                    () -> waitingForAdvisoryLock(other) > 0);
            assertEquals(List.of(), tables(pool), "nothing done while another instance holds the lock");
            try (Statement s = other.createStatement()) {
                s.execute("SELECT pg_advisory_unlock(" + key + ")");
            }
            assertEquals(List.of("1", "2"), MigrationFiles.versions(run.get()));
        }
    }

    /** Backends of this test's pool (its name is the schema's, and so is its ApplicationName) waiting for a lock. */
    private int waitingForAdvisoryLock(Connection c) throws Exception {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a"
                + " ON a.pid = l.pid WHERE l.locktype = 'advisory' AND NOT l.granted AND a.application_name = ?")) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void aFailingFileLeavesNothingBehind() throws Exception {
        try (DbPool pool = pool(1)) {
            pool.migrate();
            String failing = MigrationFiles.standard().put("V3__broken.sql", """
                    CREATE TABLE refunds (id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL REFERENCES orders (id));
                    INSERT INTO refunds (id, order_id) VALUES (1, 424242);
                    """).asDirectory(temp);
            FlywayException e = assertThrows(FlywayException.class,
                    () -> pool.migrate(Migrations.of(List.of(failing))));
            assertTrue(e.getMessage().contains("V3__broken.sql"), e.getMessage());
            assertTrue(e.getMessage().matches("(?s).*Line\\s*:\\s*2\\b.*"), "names the failing line: " + e.getMessage());
            assertTrue(e.getMessage().contains("refunds_order_id_fkey"), e.getMessage());
            try (Connection c = pool.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'refunds'")) {
                s.setString(1, schema);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertEquals(0, rs.getInt(1), "PostgreSQL rolled the DDL of the failed file back");
                }
            }
            assertEquals(List.of("1", "2"), MigrationFiles.applied(pool.dataSource(),
                    Migrations.DEFAULT_HISTORY_TABLE), "the failed version is not recorded");
        }
    }

    @Test
    void aModulesSetRunsIntoTheSameSchemaWithItsOwnHistory() throws Exception {
        try (DbPool pool = pool(1)) {
            assertEquals(List.of("1", "2"), MigrationFiles.versions(pool.migrate()));
            assertEquals(List.of("1"), MigrationFiles.versions(pool.migrate(MigrationFiles.MODULE)));
            assertEquals(List.of("customers", "flyway_schema_history", "module_outbox", "module_schema_history",
                    "orders"), tables(pool));
        }
    }

    @Test
    void aSetCanHoldOneFolderPerDatabase() throws Exception {
        try (DbPool pool = pool(1)) {
            List<AppliedMigration> applied = pool.migrate(MigrationFiles.PER_DATABASE);
            assertEquals(List.of("1"), MigrationFiles.versions(applied));
            assertTrue(applied.getFirst().script().contains("postgresql"), applied.getFirst().script());
            try (Connection c = pool.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT indexdef FROM pg_indexes WHERE schemaname = ? AND indexname = 'vendor_outbox_pending'")) {
                s.setString(1, schema);
                try (ResultSet rs = s.executeQuery()) {
                    assertTrue(rs.next());
                    assertTrue(rs.getString(1).contains("WHERE (sent_at IS NULL)"), "the partial index: " + rs.getString(1));
                }
            }
        }
    }

    @Test
    void aMissingSchemaIsCreated() throws Exception {
        PostgresFixture.execute("DROP SCHEMA " + schema);
        try (DbPool pool = pool(1)) {
            assertEquals(List.of("1", "2"), MigrationFiles.versions(pool.migrate()));
            assertEquals(List.of("customers", "flyway_schema_history", "orders"), tables(pool));
        }
    }
}
