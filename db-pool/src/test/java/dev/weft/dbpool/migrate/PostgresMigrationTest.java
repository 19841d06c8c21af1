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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
        return DbPool.open(PostgresFixture.config(schema).schema(schema).maximumPoolSize(size).build());
    }

    @Test
    void appliesOnceIntoTheConfiguredSchema() throws Exception {
        try (DbPool pool = pool(2)) {
            assertEquals(List.of(1, 2), pool.migrate(MigrationFiles.LOCATION).stream()
                    .map(Migration::version).toList());
            assertEquals(List.of(), pool.migrate(MigrationFiles.LOCATION));
            try (Connection c = pool.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1")) {
                s.setString(1, schema);
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                assertEquals(List.of("customers", "orders", "schema_version"), tables);
            }
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
            Future<List<Migration>> first = executor.submit(() -> a.migrate(MigrationFiles.LOCATION));
            Future<List<Migration>> second = executor.submit(() -> b.migrate(MigrationFiles.LOCATION));
            List<Integer> applied = new ArrayList<>();
            first.get().forEach(m -> applied.add(m.version()));
            second.get().forEach(m -> applied.add(m.version()));
            assertEquals(List.of(1, 2), applied.stream().sorted().toList(), "each version applied by exactly one");
            assertEquals(2, new SchemaMigrator(a.dataSource(), MigrationFiles.LOCATION).applied().size());
        }
    }

    @Test
    void aFailingFileLeavesNothingBehind() throws Exception {
        try (DbPool pool = pool(1)) {
            pool.migrate(MigrationFiles.LOCATION);
            ClassLoader failing = MigrationFiles.standard().put("V3__broken.sql", """
                    CREATE TABLE refunds (id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL REFERENCES orders (id));
                    INSERT INTO refunds (id, order_id) VALUES (1, 424242);
                    """).asDirectory(temp);
            MigrationException e = assertThrows(MigrationException.class,
                    () -> new SchemaMigrator(pool.dataSource(), MigrationFiles.LOCATION, failing).migrate());
            assertTrue(e.getMessage().contains("V3__broken.sql, statement 2 of 2"), e.getMessage());
            try (Connection c = pool.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'refunds'")) {
                s.setString(1, schema);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertEquals(0, rs.getInt(1), "PostgreSQL rolled the DDL of the failed file back");
                }
            }
            assertEquals(2, new SchemaMigrator(pool.dataSource(), MigrationFiles.LOCATION).applied().size());
        }
    }
}
