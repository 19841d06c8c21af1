package dev.weft.dbpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.weft.http.ConfigException;

class DbPoolConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        DbPoolConfig c = DbPoolConfig.builder("jdbc:postgresql://db/app").maximumPoolSize(10).build();
        assertEquals(Duration.ofSeconds(10), c.connectionTimeout());
        assertEquals(Duration.ofMinutes(5), c.idleTimeout());
        assertEquals(Duration.ofMinutes(30), c.maxLifetime());
        assertEquals(Duration.ofMinutes(2), c.keepaliveTime());
        assertEquals(Duration.ofSeconds(60), c.leakDetectionThreshold());
        assertEquals(Duration.ofSeconds(2), c.validationTimeout());
        assertEquals(Duration.ofSeconds(30), c.socketTimeout());
        assertNull(c.minimumIdle(), "fixed-size by default");
        assertEquals(0, c.maxWaiting());
        assertEquals("pool 10: set explicitly by maximumPoolSize", c.sizingDecision().reasoning());
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        ConfigException e = assertThrows(ConfigException.class, () -> DbPoolConfig.builder("postgres://db")
                .name(" ")
                .sizing(new PoolSizing(-5, Duration.ZERO, 20, 0, -1))
                .connectionTimeout(Duration.ofMillis(100))
                .leakDetectionThreshold(Duration.ofMillis(500))
                .keepaliveTime(Duration.ofHours(1))
                .maxWaiting(-1)
                .build());
        List<String> p = e.problems();
        assertTrue(p.contains("db.name: must not be empty"), p::toString);
        assertTrue(p.contains("db.jdbcUrl: must be a JDBC URL starting with jdbc:, was postgres://db"), p::toString);
        assertTrue(p.contains("db.sizing.peakRequestsPerSecond: must be a positive number, was -5.0"), p::toString);
        assertTrue(p.contains("db.sizing.meanHoldTime: must be positive, was PT0S"), p::toString);
        assertTrue(p.contains("db.sizing.databaseCores: must be at least 1, was 0"), p::toString);
        assertTrue(p.contains("db.sizing.databaseSpindles: must not be negative, was -1"), p::toString);
        assertTrue(p.contains("db.connectionTimeout: must be at least 250 ms, was PT0.1S"), p::toString);
        assertTrue(p.contains("db.leakDetectionThreshold: must be zero (off) or at least 2000 ms, was PT0.5S"),
                p::toString);
        assertTrue(p.contains("db.keepaliveTime: must be shorter than db.maxLifetime, or it never runs"), p::toString);
        assertTrue(p.contains("db.maxWaiting: must not be negative (0 turns the bulkhead off), was -1"), p::toString);
        assertTrue(p.contains("db.validationTimeout: must be shorter than db.connectionTimeout"), p::toString);
        assertEquals(11, p.size(), p::toString);
        assertTrue(e.getMessage().startsWith("invalid configuration (11 problems):"), e.getMessage());
    }

    @Test
    void theSizeIsEitherExplicitOrDerived() {
        DbPoolConfig.Builder neither = DbPoolConfig.builder("jdbc:h2:mem:x");
        assertEquals(List.of("db.maximumPoolSize: set it, or db.sizing to derive it from peak load"),
                assertThrows(ConfigException.class, neither::build).problems());

        DbPoolConfig both = new DbPoolConfig("db", "jdbc:h2:mem:x", "", "", 5,
                new PoolSizing(1, Duration.ofMillis(1), 20, 1, 1), null, Duration.ofSeconds(10),
                Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofMinutes(2), Duration.ZERO,
                Duration.ofSeconds(2), Duration.ZERO, 0, null, null);
        assertEquals(List.of("db.maximumPoolSize: set either it or db.sizing, not both"), both.validate());
        assertThrows(ConfigException.class, () -> DbPool.open(both), "a record built by hand is validated too");

        DbPoolConfig derived = DbPoolConfig.builder("jdbc:h2:mem:x").maximumPoolSize(5)
                .sizing(400, Duration.ofMillis(25), 4, 1).build();
        assertEquals(0, derived.maximumPoolSize(), "sizing replaces an explicit size set before it");
        assertEquals(9, derived.sizingDecision().size());
    }

    @Test
    void thePasswordStaysOutOfToString() {
        DbPoolConfig c = DbPoolConfig.builder("jdbc:postgresql://db/app").maximumPoolSize(2)
                .username("app").password("s3cret").build();
        assertFalse(c.toString().contains("s3cret"), c.toString());
        assertTrue(c.toString().contains("password=****"), c.toString());
    }

    @Test
    void theEmbeddedDefaultIsH2InPostgresMode() {
        DbPoolConfig c = DbPoolConfig.embeddedH2("shop").build();
        assertTrue(c.jdbcUrl().startsWith("jdbc:h2:mem:shop;MODE=PostgreSQL;"), c.jdbcUrl());
        assertEquals("shop", c.name());
        assertEquals(8, c.maximumPoolSize());
    }
}
