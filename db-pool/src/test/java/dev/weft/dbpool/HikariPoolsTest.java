package dev.weft.dbpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** What a configuration becomes in HikariCP's terms, without opening anything. */
class HikariPoolsTest {

    private static HikariConfig hikari(DbPoolConfig config) {
        return HikariPools.hikariConfig(config, config.sizingDecision(), new SimpleMeterRegistry());
    }

    @Test
    void theDefaultsReachHikari() {
        HikariConfig h = hikari(Configs.db(Map.of("url", "jdbc:postgresql://db/app", "name", "orders",
                "username", "app", "schema", "shop", "sizing", Map.of("peakRequestsPerSecond", 400,
                        "meanHoldTime", Duration.ofMillis(25), "databaseCores", 4, "databaseSpindles", 1))));
        assertEquals("orders", h.getPoolName());
        assertEquals(9, h.getMaximumPoolSize());
        assertEquals(9, h.getMinimumIdle(), "fixed-size");
        assertEquals(10_000, h.getConnectionTimeout());
        assertEquals(30 * 60_000, h.getMaxLifetime());
        assertEquals(2 * 60_000, h.getKeepaliveTime());
        assertEquals(60_000, h.getLeakDetectionThreshold());
        assertEquals(2_000, h.getValidationTimeout());
        assertEquals("shop", h.getSchema());
        assertEquals("true", h.getDataSourceProperties().getProperty("tcpKeepAlive"));
        assertTrue(h.getMetricsTrackerFactory() instanceof MicrometerMetricsTrackerFactory);
    }

    @Test
    void idleTimeoutAppliesOnlyToAPoolThatMayShrink() {
        HikariConfig fixed = hikari(Configs.db(Map.of("url", "jdbc:h2:mem:x", "maximumPoolSize", 8)));
        assertEquals(new HikariConfig().getIdleTimeout(), fixed.getIdleTimeout(),
                "left at HikariCP's default, which it ignores for a fixed pool without warning");
        HikariConfig elastic = hikari(Configs.db(Map.of("url", "jdbc:h2:mem:x", "maximumPoolSize", 8,
                "minimumIdle", 2)));
        assertEquals(2, elastic.getMinimumIdle());
        assertEquals(5 * 60_000, elastic.getIdleTimeout());
    }
}
