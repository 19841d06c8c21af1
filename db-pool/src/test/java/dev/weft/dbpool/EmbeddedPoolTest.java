package dev.weft.dbpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

/** The facade on the embedded default: DataSource, readiness, advisor, all with nothing installed. */
class EmbeddedPoolTest {

    @Test
    void servesQueriesReportsReadyAndAdvises() throws Exception {
        try (DbPool pool = DbPool.open(DbPoolConfig.embeddedH2("dbpool_" + UUID.randomUUID().toString()
                .replace("-", "")).build())) {
            assertEquals(8, pool.hikariDataSource().getMaximumPoolSize());
            assertEquals(8, pool.hikariDataSource().getMinimumIdle(), "fixed-size");
            assertEquals(PoolAdvice.Verdict.NO_TRAFFIC, pool.advise().verdict());
            for (int i = 0; i < 50; i++) {
                try (Connection c = pool.dataSource().getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT 40 + 2")) {
                    rs.next();
                    assertEquals(42, rs.getInt(1));
                }
            }
            pool.readinessCheck().check();
            PoolAdvice advice = pool.advise();
            assertEquals(51, advice.requests(), "50 queries and the readiness check: " + advice);
            assertEquals(PoolAdvice.Verdict.TOO_LARGE, advice.verdict(), advice::toString);
            assertEquals(Duration.ofSeconds(1), pool.suggestedRetryAfter());
            assertEquals(pool.hikariDataSource(), pool.dataSource().unwrap(HikariDataSource.class));
        }
    }

    @Test
    void aClosedPoolIsNotReady() {
        DbPool pool = DbPool.open(DbPoolConfig.embeddedH2("dbpool_" + UUID.randomUUID().toString().replace("-", ""))
                .maximumPoolSize(1).build());
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.readinessCheck().check());
    }
}
