package dev.weft.dbpool.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.weft.dbpool.DbPool;
import dev.weft.dbpool.DbPoolConfig;

/** The migrations on the embedded default, H2 in PostgreSQL mode. */
class EmbeddedMigrationTest {
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

    @Test
    void appliesEachFileOnceInOrder() throws Exception {
        List<Migration> first = pool.migrate("dev/weft/dbpool/migrations");
        assertEquals(List.of(1, 2), first.stream().map(Migration::version).toList());
        assertEquals("add order status", first.get(1).description());
        assertEquals(List.of(), pool.migrate("dev/weft/dbpool/migrations"), "nothing left to apply");

        try (Connection c = pool.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT o.status, o.total FROM orders o JOIN customers c"
                     + " ON c.id = o.customer_id WHERE c.email = 'first@example.test'")) {
            assertTrue(rs.next());
            assertEquals("PAID; shipped", rs.getString(1));
            assertEquals(0, rs.getBigDecimal(2).compareTo(new java.math.BigDecimal("12.50")));
        }
        assertEquals(2, new SchemaMigrator(pool.dataSource(), "dev/weft/dbpool/migrations").applied().size());
    }

    @Test
    void anEditedFileIsRefused() throws Exception {
        pool.migrate("dev/weft/dbpool/migrations");
        MigrationException e = assertThrows(MigrationException.class,
                () -> pool.migrate("dev/weft/dbpool/migrations-edited"));
        assertTrue(e.getMessage().contains("V2__add_order_status.sql was changed after it was applied"),
                e.getMessage());
    }

    @Test
    void aMisnamedFileIsAnErrorNotSkipped() {
        MigrationException e = assertThrows(MigrationException.class,
                () -> pool.migrate("dev/weft/dbpool/migrations-misnamed"));
        assertTrue(e.getMessage().contains("v2-add-status.sql: not a migration name"), e.getMessage());
    }

    @Test
    void aMissingLocationIsAnError() {
        MigrationException e = assertThrows(MigrationException.class, () -> pool.migrate("no/such/place"));
        assertTrue(e.getMessage().contains("no/such/place does not exist"), e.getMessage());
    }
}
