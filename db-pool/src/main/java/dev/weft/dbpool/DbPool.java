package dev.weft.dbpool;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;

import dev.weft.config.ConfigException;
import dev.weft.config.Problems;
import dev.weft.dbpool.migrate.AppliedMigration;
import dev.weft.dbpool.migrate.Migrations;
import dev.weft.health.HealthCheck;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * One database pool and what a service needs around it: the fail-fast {@link DataSource}, a readiness check, the
 * advisor, and schema migrations. Open it once at start-up, close it at shutdown:
 *
 * <pre>{@code
 * DbPool db = DbPool.open(config.read(DbPoolConfig::from), registry);   // the "db" section
 * db.migrate();                                                          // db.migrations, by Flyway
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

    private DbPool(DbPoolConfig config, MeterRegistry registry, LongSupplier clock) {
        Problems.requireValid("db", config, DbPoolConfig::validate);
        this.config = config;
        this.sizing = config.sizingDecision();
        this.hikari = HikariPools.create(config, registry);
        this.dataSource = new FailFastDataSource(hikari, config.maxWaiting(), this::suggestedRetryAfter, registry,
                clock);
        this.advisor = new PoolAdvisor(registry, config.name(), clock);
        this.readinessCheck = new DbReadinessCheck(config.name(), hikari, config.validationTimeout());
    }

    /**
     * Opens a pool whose metrics stay inside it (read them through {@link #advise()}). Throws
     * {@link ConfigException} for an invalid configuration, and HikariCP's {@code PoolInitializationException} when
     * the database cannot be reached now.
     */
    public static DbPool open(DbPoolConfig config) {
        return new DbPool(config, new SimpleMeterRegistry(), System::nanoTime);
    }

    /**
     * Opens a pool whose {@code hikaricp.connections.*} meters go to {@code registry}, to be exported with the rest.
     * The advisor reads the same meters, so the registry must keep cumulative counts (Prometheus, JMX and simple
     * registries do; a step registry would hand it per-step deltas).
     */
    public static DbPool open(DbPoolConfig config, MeterRegistry registry) {
        return new DbPool(config, registry, System::nanoTime);
    }

    /**
     * With {@code clock} (nanoseconds) as the time by which the waits for a connection and the advisor's windows are
     * measured, so that a test steps the clock and gets the verdict its figures call for on any machine. HikariCP
     * still times the holds, and the timeouts still run on the real clock.
     */
    static DbPool open(DbPoolConfig config, LongSupplier clock) {
        return new DbPool(config, new SimpleMeterRegistry(), clock);
    }

    /**
     * The pool's DataSource: callers are served first come, first served, and one that gets no connection within
     * connectionTimeout gets a {@link PoolExhaustedException}.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /** A check for the service's readiness probe: {@code SELECT 1} through the pool within validationTimeout. */
    public HealthCheck readinessCheck() {
        return readinessCheck;
    }

    /** The advisor's verdict on the window since the previous call. */
    public PoolAdvice advise() {
        return advisor.advise();
    }

    /**
     * Applies the service's migrations, the configuration's {@code migrations} locations, with Flyway's default
     * history table; returns what this call applied, in order. See {@link #migrate(Migrations)}.
     */
    public List<AppliedMigration> migrate() {
        return migrate(Migrations.of(config.migrations()));
    }

    /**
     * Applies {@code migrations} with Flyway, in the pool's {@code schema} (created when missing) or the connection's
     * default one; returns what this call applied, in order (empty when up to date).
     *
     * <p>Flyway runs on connections of its own, made exactly as the pool makes its connections (same URL, user,
     * password and driver properties) but not taken from it, and closed when it returns: Flyway holds one connection
     * for its history table and migrates on a second on H2 and most databases, and a pool may have a single
     * connection (the sizing rule gives one at light load), which would leave Flyway waiting for itself.
     *
     * @throws org.flywaydb.core.api.FlywayException when a file fails or the files do not match the history
     */
    public List<AppliedMigration> migrate(Migrations migrations) {
        Properties properties = new Properties();
        properties.putAll(DriverProperties.forConfig(config));
        return migrations.applyTo(new DriverDataSource(config.url(), null, properties, config.username(),
                config.password()), config.schema());
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
