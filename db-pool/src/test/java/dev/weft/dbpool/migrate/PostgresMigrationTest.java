package dev.weft.dbpool.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        try (DbPool a = pool(1); DbPool b = pool(1); ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<AppliedMigration>> first = executor.submit(() -> a.migrate());
            Future<List<AppliedMigration>> second = executor.submit(() -> b.migrate());
            List<String> applied = new ArrayList<>(MigrationFiles.versions(first.get()));
            applied.addAll(MigrationFiles.versions(second.get()));
            assertEquals(List.of("1", "2"), applied.stream().sorted().toList(), "each version applied by exactly one");
            assertEquals(List.of("1", "2"), MigrationFiles.applied(a.dataSource(), Migrations.DEFAULT_HISTORY_TABLE));
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
