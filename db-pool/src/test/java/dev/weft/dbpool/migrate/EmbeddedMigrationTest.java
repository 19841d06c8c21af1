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
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.weft.dbpool.DbPool;
import dev.weft.dbpool.DbPoolConfig;

/** The migrations on the embedded default, H2 in PostgreSQL mode. */
class EmbeddedMigrationTest {
    @TempDir
    Path temp;
    private DbPool pool;

    @BeforeEach
    void open() {
        pool = DbPool.open(DbPoolConfig.embeddedH2("dbpool_" + UUID.randomUUID().toString().replace("-", ""))
                .maximumPoolSize(2).build());
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private List<Migration> migrate(ClassLoader loader) throws Exception {
        return new SchemaMigrator(pool.dataSource(), MigrationFiles.LOCATION, loader).migrate();
    }

    @Test
    void appliesEachFileOnceInOrder() throws Exception {
        List<Migration> first = pool.migrate(MigrationFiles.LOCATION);
        assertEquals(List.of(1, 2), first.stream().map(Migration::version).toList());
        assertEquals("add order status", first.get(1).description());
        assertEquals(List.of(), pool.migrate(MigrationFiles.LOCATION), "nothing left to apply");

        try (Connection c = pool.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT o.status, o.total FROM orders o JOIN customers c"
                     + " ON c.id = o.customer_id WHERE c.email = 'first@example.test'")) {
            assertTrue(rs.next());
            assertEquals("PAID; shipped", rs.getString(1));
            assertEquals(0, rs.getBigDecimal(2).compareTo(new BigDecimal("12.50")));
        }
        assertEquals(2, new SchemaMigrator(pool.dataSource(), MigrationFiles.LOCATION).applied().size());
    }

    @Test
    void findsMigrationsInsideAJarAndAppliesOnlyTheNewOne() throws Exception {
        pool.migrate(MigrationFiles.LOCATION);
        ClassLoader jar = MigrationFiles.standard()
                .put("V3__add_refunds.sql", "CREATE TABLE refunds (id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL);")
                .asJar(temp.resolve("service.jar"));
        assertEquals(List.of(3), migrate(jar).stream().map(Migration::version).toList());
    }

    @Test
    void anEditedFileIsRefused() throws Exception {
        pool.migrate(MigrationFiles.LOCATION);
        ClassLoader edited = MigrationFiles.standard()
                .put("V2__add_order_status.sql", MigrationFiles.resource("V2__add_order_status.sql")
                        .replace("12.50", "99.00"))
                .asDirectory(temp);
        MigrationException e = assertThrows(MigrationException.class, () -> migrate(edited));
        assertTrue(e.getMessage().contains("V2__add_order_status.sql was changed after it was applied"),
                e.getMessage());
    }

    @Test
    void aNewFileBelowAnAppliedVersionIsRefused() throws Exception {
        pool.migrate(MigrationFiles.LOCATION);
        ClassLoader late = MigrationFiles.standard().put("V0__forgotten.sql", "SELECT 1;").asDirectory(temp);
        MigrationException e = assertThrows(MigrationException.class, () -> migrate(late));
        assertTrue(e.getMessage().contains("V0__forgotten.sql is new but V2 is already applied"), e.getMessage());
    }

    @Test
    void aMisnamedOrDuplicateFileIsAnErrorNotSkipped() throws Exception {
        ClassLoader bad = MigrationFiles.standard().put("v3-add-status.sql", "SELECT 1;")
                .put("V02__again.sql", "SELECT 1;").asDirectory(temp);
        MigrationException e = assertThrows(MigrationException.class, () -> migrate(bad));
        assertTrue(e.getMessage().contains("v3-add-status.sql: not a migration name"), e.getMessage());
        assertTrue(e.getMessage().contains("V2__add_order_status.sql: version 2 is also"), e.getMessage());
    }

    @Test
    void aMissingLocationIsAnError() {
        MigrationException e = assertThrows(MigrationException.class, () -> pool.migrate("no/such/place"));
        assertTrue(e.getMessage().contains("no/such/place does not exist"), e.getMessage());
    }
}
