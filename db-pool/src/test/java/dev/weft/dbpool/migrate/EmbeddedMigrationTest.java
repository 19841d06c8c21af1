package dev.weft.dbpool.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.weft.dbpool.Configs;
import dev.weft.dbpool.DbPool;
import dev.weft.dbpool.DbPoolConfig;

/** The migrations on the embedded default, H2 in PostgreSQL mode. */
class EmbeddedMigrationTest {
    @TempDir
    Path temp;
    private DbPool pool;

    @BeforeEach
    void open() {
        pool = DbPool.open(Configs.h2(Map.of("maximumPoolSize", 1,
                "migrations", List.of("classpath:" + MigrationFiles.LOCATION))));
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private List<AppliedMigration> migrate(String location) {
        return pool.migrate(Migrations.of(List.of(location)));
    }

    @Test
    void appliesEachFileOnceInOrder() throws Exception {
        List<AppliedMigration> first = pool.migrate();
        assertEquals(List.of("1", "2"), MigrationFiles.versions(first));
        assertEquals("add order status", first.get(1).description());
        assertEquals(List.of(), pool.migrate(), "nothing left to apply");

        try (Connection c = pool.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT o.status, o.total FROM orders o JOIN customers c"
                     + " ON c.id = o.customer_id WHERE c.email = 'first@example.test'")) {
            assertTrue(rs.next());
            assertEquals("PAID; shipped", rs.getString(1));
            assertEquals(0, rs.getBigDecimal(2).compareTo(new BigDecimal("12.50")));
        }
        assertEquals(List.of("1", "2"), MigrationFiles.applied(pool.dataSource(), Migrations.DEFAULT_HISTORY_TABLE));
    }

    @Test
    void aModulesSetRunsBesideTheServicesWithItsOwnHistoryAndPlaceholders() throws Exception {
        assertEquals(List.of("1", "2"), MigrationFiles.versions(pool.migrate()));
        assertEquals(List.of("1"), MigrationFiles.versions(pool.migrate(MigrationFiles.MODULE)),
                "its V1 is its own, not the service's V1");
        assertEquals(List.of(), pool.migrate(MigrationFiles.MODULE));
        assertEquals(List.of("1"), MigrationFiles.applied(pool.dataSource(), "module_schema_history"));
        assertEquals(List.of("1", "2"), MigrationFiles.applied(pool.dataSource(), Migrations.DEFAULT_HISTORY_TABLE));
        try (Connection c = pool.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO module_outbox (event_type) VALUES ('OrderCreated')");
        }
        FlywayException e = assertThrows(FlywayException.class, () -> pool.migrate(new Migrations(
                MigrationFiles.MODULE.locations(), "other_schema_history", Map.of())));
        assertTrue(e.getMessage().contains("outboxTable"), "a placeholder without a value fails: " + e.getMessage());
    }

    @Test
    void aSetCanHoldOneFolderPerDatabase() {
        List<AppliedMigration> applied = pool.migrate(MigrationFiles.PER_DATABASE);
        assertEquals(List.of("1"), MigrationFiles.versions(applied));
        assertTrue(applied.getFirst().script().contains("h2"), applied.getFirst().script());
    }

    @Test
    void findsMigrationsInsideAJarAndAppliesOnlyTheNewOne() throws Exception {
        pool.migrate();
        String packaged = "dev/weft/dbpool/packaged";
        ClassLoader jar = MigrationFiles.standard()
                .put("V3__add_refunds.sql", "CREATE TABLE refunds (id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL);")
                .asJar(temp.resolve("service.jar"), packaged);
        Thread current = Thread.currentThread();
        ClassLoader original = current.getContextClassLoader();
        current.setContextClassLoader(jar); // Flyway scans the context class loader, the application's in a service
        try {
            assertEquals(List.of("3"), MigrationFiles.versions(migrate("classpath:" + packaged)));
        } finally {
            current.setContextClassLoader(original);
        }
    }

    @Test
    void anEditedFileIsRefused() throws Exception {
        pool.migrate();
        String edited = MigrationFiles.standard()
                .put("V2__add_order_status.sql", MigrationFiles.resource("V2__add_order_status.sql")
                        .replace("12.50", "99.00"))
                .asDirectory(temp);
        FlywayException e = assertThrows(FlywayException.class, () -> migrate(edited));
        assertTrue(e.getMessage().contains("checksum mismatch for migration version 2"), e.getMessage());
    }

    @Test
    void aNewFileBelowAnAppliedVersionIsRefused() throws Exception {
        pool.migrate();
        String late = MigrationFiles.standard().put("V0__forgotten.sql", "SELECT 1;").asDirectory(temp);
        FlywayException e = assertThrows(FlywayException.class, () -> migrate(late));
        assertTrue(e.getMessage().contains("Detected resolved migration not applied to database: 0"), e.getMessage());
    }

    @Test
    void aMisnamedOrDuplicateFileIsAnErrorNotSkipped() throws Exception {
        String misnamed = MigrationFiles.standard().put("v3-add-status.sql", "SELECT 1;").asDirectory(temp.resolve("a"));
        FlywayException e = assertThrows(FlywayException.class, () -> migrate(misnamed));
        assertTrue(e.getMessage().contains("v3-add-status.sql"), e.getMessage());

        String duplicate = MigrationFiles.standard().put("V02__again.sql", "SELECT 1;").asDirectory(temp.resolve("b"));
        e = assertThrows(FlywayException.class, () -> migrate(duplicate));
        assertTrue(e.getMessage().contains("Found more than one migration with version"), e.getMessage());
        assertTrue(e.getMessage().contains("V02__again.sql") && e.getMessage().contains("V2__add_order_status.sql"),
                e.getMessage());
    }

    @Test
    void aMissingLocationIsAnError() {
        FlywayException e = assertThrows(FlywayException.class, () -> migrate("classpath:no/such/place"));
        assertTrue(e.getMessage().contains("no/such/place"), e.getMessage());
    }

    @Test
    void migrationsRunInTheConfiguredSchema() throws Exception {
        // H2 refuses to start a connection in a schema that does not exist, so the URL creates it (PostgreSQL
        // starts one anyway, and Flyway creates the schema: see PostgresMigrationTest.aMissingSchemaIsCreated).
        String url = DbPoolConfig.embeddedH2Url("dbpool_schema_" + UUID.randomUUID().toString().replace("-", ""))
                + ";INIT=CREATE SCHEMA IF NOT EXISTS shop";
        try (DbPool shop = DbPool.open(Configs.db(Map.of("url", url, "maximumPoolSize", 1, "schema", "shop",
                "migrations", List.of("classpath:" + MigrationFiles.LOCATION))))) {
            assertEquals(List.of("1", "2"), MigrationFiles.versions(shop.migrate()));
            try (Connection c = shop.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT table_schema FROM information_schema.tables"
                         + " WHERE table_name = 'orders'")) {
                assertTrue(rs.next());
                assertEquals("shop", rs.getString(1));
                assertEquals("shop", c.getSchema(), "the pool's connections start in it");
            }
            try (Connection c = shop.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1), "unqualified names find the schema's tables");
            }
        }
    }

    @Test
    void anEmptyListOfLocationsRunsNothing() throws Exception {
        try (DbPool none = DbPool.open(Configs.h2(Map.of("maximumPoolSize", 1, "migrations", List.of())))) {
            assertEquals(List.of(), none.migrate());
            try (Connection c = none.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables"
                         + " WHERE table_name = 'flyway_schema_history'")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1), "Flyway did not even create its history table");
            }
        }
    }
}
