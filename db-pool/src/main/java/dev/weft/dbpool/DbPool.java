package dev.weft.dbpool;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import dev.weft.dbpool.migrate.Migration;
import dev.weft.dbpool.migrate.SchemaMigrator;
import dev.weft.http.ConfigException;
import dev.weft.http.health.HealthCheck;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * One database pool and what a service needs around it: the fail-fast {@link DataSource}, a readiness check, the
 * advisor, and schema migrations. Open it once at start-up, close it at shutdown:
 *
 * <pre>{@code
 * DbPool db = DbPool.open(DbPoolConfig.embeddedH2("shop").build());
 * db.migrate("db/migration");
 * health.addCheck("db", Duration.ofSeconds(2), db.readinessCheck());
 * try (Connection c = db.dataSource().getConnection()) { ... }
 * }</pre>
 */
public final class DbPool implements AutoCloseable {
    private final DbPoolConfig config;
    private final SizingDecision sizing;
    private final HikariDataSource hikari;
    private final PoolAdvisor advisor;
    private final FailFastDataSource dataSource;
    private final DbReadinessCheck readinessCheck;

    private DbPool(DbPoolConfig config, MeterRegistry registry) {
        List<String> problems = config.validate();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        this.config = config;
        this.sizing = config.sizingDecision();
        this.hikari = HikariPools.create(config, registry);
        this.dataSource = new FailFastDataSource(hikari, config.maxWaiting(), this::suggestedRetryAfter, registry);
        this.advisor = new PoolAdvisor(registry, config.name());
        this.readinessCheck = new DbReadinessCheck(config.name(), hikari, config.validationTimeout());
    }

    /**
     * Opens a pool whose metrics stay inside it (read them through {@link #advise()}). Throws
     * {@link ConfigException} for an invalid configuration, and HikariCP's {@code PoolInitializationException} when
     * the database cannot be reached now.
     */
    public static DbPool open(DbPoolConfig config) {
        return new DbPool(config, new SimpleMeterRegistry());
    }

    /**
     * Opens a pool whose {@code hikaricp.connections.*} meters go to {@code registry}, to be exported with the rest.
     * The advisor reads the same meters, so the registry must keep cumulative counts (Prometheus, JMX and simple
     * registries do; a step registry would hand it per-step deltas).
     */
    public static DbPool open(DbPoolConfig config, MeterRegistry registry) {
        return new DbPool(config, registry);
    }

    /**
     * The pool's DataSource: callers are served first come, first served, and one that gets no connection within
     * connectionTimeout gets a {@link PoolExhaustedException}.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /** A check for server-core's readiness probe: {@code SELECT 1} through the pool within validationTimeout. */
    public HealthCheck readinessCheck() {
        return readinessCheck;
    }

    /** The advisor's verdict on the window since the previous call. */
    public PoolAdvice advise() {
        return advisor.advise();
    }

    /** Applies the numbered SQL files under the classpath {@code location} that the database has not seen yet. */
    public List<Migration> migrate(String location) throws SQLException {
        return new SchemaMigrator(hikari, location).migrate();
    }

    /**
     * When a caller turned away should come back: the time the callers already waiting need, at the mean time a
     * connection is held, to get through the pool; at least a second.
     */
    public Duration suggestedRetryAfter() {
        long drainNanos = advisor.meanUsage().toNanos() * (advisor.pending() + 1L) / Math.max(1, sizing.size());
        return Duration.ofNanos(Math.max(drainNanos, Duration.ofSeconds(1).toNanos()));
    }

    public String name() {
        return config.name();
    }

    public DbPoolConfig config() {
        return config;
    }

    /** The size the pool was given and why. */
    public SizingDecision sizing() {
        return sizing;
    }

    /** HikariCP's own DataSource, for what this class does not cover (its MXBean, soft eviction). */
    public HikariDataSource hikariDataSource() {
        return hikari;
    }

    /** Closes every connection; callers waiting get an exception. */
    @Override
    public void close() {
        hikari.close();
    }
}
