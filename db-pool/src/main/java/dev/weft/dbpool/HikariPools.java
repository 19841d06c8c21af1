package dev.weft.dbpool;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Makes a {@link HikariDataSource} from a {@link DbPoolConfig}: the size from the sizing rule (logged with its
 * reasoning), the timeouts, the driver properties for the URL, and HikariCP's own Micrometer tracker
 * ({@code hikaricp.connections.*}, tagged {@code pool=<name>}).
 */
public final class HikariPools {
    private static final Logger log = LoggerFactory.getLogger(HikariPools.class);

    private HikariPools() {}

    /**
     * Opens the pool. Connections are opened now, so an unreachable database fails here, at start-up, rather than
     * on the first request.
     */
    public static HikariDataSource create(DbPoolConfig config, MeterRegistry registry) {
        SizingDecision sizing = config.sizingDecision();
        log.info("{} ({})", sizing.reasoning(), config.name());
        return new HikariDataSource(hikariConfig(config, sizing, registry));
    }

    /** The HikariCP configuration for {@code config}, without opening anything. */
    public static HikariConfig hikariConfig(DbPoolConfig config, SizingDecision sizing, MeterRegistry registry) {
        HikariConfig h = new HikariConfig();
        h.setPoolName(config.name());
        h.setJdbcUrl(config.url());
        h.setUsername(config.username());
        h.setPassword(config.password());
        h.setMaximumPoolSize(sizing.size());
        // Fixed-size unless minimumIdle is set.
        int minimumIdle = config.minimumIdle() == null ? sizing.size()
                : Math.min(config.minimumIdle(), sizing.size());
        h.setMinimumIdle(minimumIdle);
        h.setConnectionTimeout(config.connectionTimeout().toMillis());
        if (minimumIdle < sizing.size()) {
            // Only a pool that may shrink retires idle connections; HikariCP warns when a fixed pool sets it.
            h.setIdleTimeout(config.idleTimeout().toMillis());
        }
        h.setMaxLifetime(config.maxLifetime().toMillis());
        h.setKeepaliveTime(config.keepaliveTime().toMillis());
        h.setLeakDetectionThreshold(config.leakDetectionThreshold().toMillis());
        h.setValidationTimeout(config.validationTimeout().toMillis());
        if (config.schema() != null) {
            h.setSchema(config.schema());
        }
        for (Map.Entry<String, String> p : DriverProperties.forConfig(config).entrySet()) {
            h.addDataSourceProperty(p.getKey(), p.getValue());
        }
        h.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        return h;
    }
}
