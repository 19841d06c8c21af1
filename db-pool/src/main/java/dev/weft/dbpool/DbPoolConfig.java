package dev.weft.dbpool;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.weft.http.ConfigException;
import dev.weft.http.config.Problems;

/**
 * A pool's immutable configuration. Start from {@link #builder(String)} (or {@link #embeddedH2(String)}), set what
 * differs, and {@link Builder#build()}: that validates once and throws a {@link ConfigException} listing every
 * problem, each with its field path ({@code db.connectionTimeout: must be at least 250 ms, was PT0.1S}).
 *
 * <p>The size is either explicit ({@code maximumPoolSize > 0}) or derived from {@link PoolSizing} (Little's law,
 * capped by the database host), never both. The pool is fixed-size by default ({@code minimumIdle} null): HikariCP
 * recommends it, because a pool that shrinks must open connections again exactly when a burst arrives. The defaults
 * and the reason for each are in the module README.
 *
 * @param name                   the pool's name: the {@code pool} tag of its metrics, its thread names, and the
 *                               {@code ApplicationName} it shows in {@code pg_stat_activity}
 * @param jdbcUrl                where the database is; its prefix also picks the driver properties
 * @param username               the database user (may be empty for embedded H2)
 * @param password               the user's password (may be empty)
 * @param maximumPoolSize        the pool size, or 0 to derive it from {@code sizing}
 * @param sizing                 the inputs of the sizing rule, or null when the size is explicit
 * @param minimumIdle            idle connections kept at least, or null for a fixed-size pool (equal to the size)
 * @param connectionTimeout      how long a caller waits for a connection before {@link PoolExhaustedException}
 * @param idleTimeout            how long a connection above {@code minimumIdle} may sit idle before it is closed;
 *                               applies only when {@code minimumIdle} is below the size (a fixed pool keeps all)
 * @param maxLifetime            the age at which an idle connection is retired and replaced
 * @param keepaliveTime          how often an idle connection is pinged so that firewalls and NATs keep it open
 * @param leakDetectionThreshold how long a connection may be out of the pool before a leak is logged; zero = off
 * @param validationTimeout      how long a liveness check (and the readiness query) may take
 * @param socketTimeout          the driver's read timeout: a query whose server went silent fails after it; zero = off
 * @param maxWaiting             the bulkhead: callers allowed to wait for a connection at once, 0 = no bulkhead
 * @param schema                 the schema every connection starts in, or null for the driver's default
 * @param dataSourceProperties   driver properties that add to or override the ones chosen for the URL
 */
public record DbPoolConfig(
        String name,
        String jdbcUrl,
        String username,
        String password,
        int maximumPoolSize,
        PoolSizing sizing,
        Integer minimumIdle,
        Duration connectionTimeout,
        Duration idleTimeout,
        Duration maxLifetime,
        Duration keepaliveTime,
        Duration leakDetectionThreshold,
        Duration validationTimeout,
        Duration socketTimeout,
        int maxWaiting,
        String schema,
        Map<String, String> dataSourceProperties) {

    /** HikariCP refuses timeouts below 250 ms. */
    private static final Duration HIKARI_MIN_TIMEOUT = Duration.ofMillis(250);
    /** HikariCP ignores a leak threshold below 2 s and a keepalive below 30 s. */
    private static final Duration HIKARI_MIN_LEAK_THRESHOLD = Duration.ofSeconds(2);
    private static final Duration HIKARI_MIN_KEEPALIVE = Duration.ofSeconds(30);
    private static final Duration HIKARI_MIN_LIFETIME = Duration.ofSeconds(30);

    public DbPoolConfig {
        dataSourceProperties = dataSourceProperties == null ? Map.of() : Map.copyOf(dataSourceProperties);
    }

    /** Like the record's own, but the password is masked: configurations end up in logs. */
    @Override
    public String toString() {
        return "DbPoolConfig[name=" + name + ", jdbcUrl=" + jdbcUrl + ", username=" + username
                + ", password=" + (password == null || password.isEmpty() ? "(empty)" : "****")
                + ", maximumPoolSize=" + maximumPoolSize + ", sizing=" + sizing + ", minimumIdle=" + minimumIdle
                + ", connectionTimeout=" + connectionTimeout + ", idleTimeout=" + idleTimeout
                + ", maxLifetime=" + maxLifetime + ", keepaliveTime=" + keepaliveTime
                + ", leakDetectionThreshold=" + leakDetectionThreshold + ", validationTimeout=" + validationTimeout
                + ", socketTimeout=" + socketTimeout + ", maxWaiting=" + maxWaiting + ", schema=" + schema
                + ", dataSourceProperties=" + dataSourceProperties.keySet() + "]";
    }

    /** A builder with every default set, for the database at {@code jdbcUrl}; the size is still to be chosen. */
    public static Builder builder(String jdbcUrl) {
        return new Builder().jdbcUrl(jdbcUrl);
    }

    /**
     * The embedded default: an in-memory H2 database in PostgreSQL mode named {@code database}, kept for the life of
     * the JVM, with 8 connections. It lets the example service run with nothing installed; the same SQL migrations
     * run on it and on PostgreSQL.
     */
    public static Builder embeddedH2(String database) {
        return builder("jdbc:h2:mem:" + database
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
                .name(database).username("sa").password("").maximumPoolSize(8);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Every problem with this configuration, one line each, prefixed with its field path; empty when usable. */
    public List<String> validate() {
        Problems problems = new Problems();
        if (name == null || name.isBlank()) {
            problems.add("db.name: must not be empty");
        }
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
            problems.add("db.jdbcUrl: must be a JDBC URL starting with jdbc:, was " + jdbcUrl);
        }
        if (username == null) {
            problems.add("db.username: must be set (empty is allowed)");
        }
        if (password == null) {
            problems.add("db.password: must be set (empty is allowed)");
        }
        problems.notNegative("db.maximumPoolSize", maximumPoolSize);
        if (maximumPoolSize > 0 && sizing != null) {
            problems.add("db.maximumPoolSize: set either it or db.sizing, not both");
        } else if (maximumPoolSize == 0 && sizing == null) {
            problems.add("db.maximumPoolSize: set it, or db.sizing to derive it from peak load");
        }
        if (sizing != null) {
            sizing.validate("db.sizing", problems);
        }
        if (minimumIdle != null && (minimumIdle < 0 || maximumPoolSize > 0 && minimumIdle > maximumPoolSize)) {
            problems.add("db.minimumIdle: must be between 0 and the pool size, was " + minimumIdle);
        }
        atLeast(problems, "db.connectionTimeout", connectionTimeout, HIKARI_MIN_TIMEOUT);
        atLeast(problems, "db.validationTimeout", validationTimeout, HIKARI_MIN_TIMEOUT);
        atLeast(problems, "db.maxLifetime", maxLifetime, HIKARI_MIN_LIFETIME);
        atLeast(problems, "db.keepaliveTime", keepaliveTime, HIKARI_MIN_KEEPALIVE);
        atLeast(problems, "db.idleTimeout", idleTimeout, Duration.ofSeconds(10));
        zeroOrAtLeast(problems, "db.leakDetectionThreshold", leakDetectionThreshold, HIKARI_MIN_LEAK_THRESHOLD);
        zeroOrAtLeast(problems, "db.socketTimeout", socketTimeout, Duration.ofSeconds(1));
        if (validationTimeout != null && connectionTimeout != null
                && validationTimeout.compareTo(connectionTimeout) >= 0) {
            problems.add("db.validationTimeout: must be shorter than db.connectionTimeout");
        }
        if (maxLifetime != null) {
            if (keepaliveTime != null && keepaliveTime.compareTo(maxLifetime) >= 0) {
                problems.add("db.keepaliveTime: must be shorter than db.maxLifetime, or it never runs");
            }
            if (idleTimeout != null && idleTimeout.compareTo(maxLifetime) >= 0) {
                problems.add("db.idleTimeout: must be shorter than db.maxLifetime");
            }
            if (leakDetectionThreshold != null && leakDetectionThreshold.compareTo(maxLifetime) >= 0) {
                problems.add("db.leakDetectionThreshold: must be shorter than db.maxLifetime");
            }
        }
        if (maxWaiting < 0) {
            problems.add("db.maxWaiting: must not be negative (0 turns the bulkhead off), was " + maxWaiting);
        }
        if (schema != null && schema.isBlank()) {
            problems.add("db.schema: must not be blank (leave it unset for the driver's default)");
        }
        return problems.list();
    }

    /** The size this configuration asks for, and why. Only meaningful on a valid configuration. */
    public SizingDecision sizingDecision() {
        return sizing != null ? sizing.decide() : SizingDecision.explicit(maximumPoolSize);
    }

    private static void atLeast(Problems problems, String path, Duration value, Duration min) {
        if (value == null) {
            problems.add(path + ": must be set");
        } else if (value.compareTo(min) < 0) {
            problems.add(path + ": must be at least " + min.toMillis() + " ms, was " + value);
        }
    }

    private static void zeroOrAtLeast(Problems problems, String path, Duration value, Duration min) {
        if (value == null) {
            problems.add(path + ": must be set (zero turns it off)");
        } else if (!value.isZero() && value.compareTo(min) < 0) {
            problems.add(path + ": must be zero (off) or at least " + min.toMillis() + " ms, was " + value);
        }
    }

    /** Collects settings over the defaults; {@link #build()} validates. */
    public static final class Builder {
        private String name = "db";
        private String jdbcUrl;
        private String username = "";
        private String password = "";
        private int maximumPoolSize;
        private PoolSizing sizing;
        private Integer minimumIdle;
        private Duration connectionTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration maxLifetime = Duration.ofMinutes(30);
        private Duration keepaliveTime = Duration.ofMinutes(2);
        private Duration leakDetectionThreshold = Duration.ofSeconds(60);
        private Duration validationTimeout = Duration.ofSeconds(2);
        private Duration socketTimeout = Duration.ofSeconds(30);
        private int maxWaiting;
        private String schema;
        private Map<String, String> dataSourceProperties = new LinkedHashMap<>();

        private Builder() {}

        private Builder(DbPoolConfig c) {
            name = c.name;
            jdbcUrl = c.jdbcUrl;
            username = c.username;
            password = c.password;
            maximumPoolSize = c.maximumPoolSize;
            sizing = c.sizing;
            minimumIdle = c.minimumIdle;
            connectionTimeout = c.connectionTimeout;
            idleTimeout = c.idleTimeout;
            maxLifetime = c.maxLifetime;
            keepaliveTime = c.keepaliveTime;
            leakDetectionThreshold = c.leakDetectionThreshold;
            validationTimeout = c.validationTimeout;
            socketTimeout = c.socketTimeout;
            maxWaiting = c.maxWaiting;
            schema = c.schema;
            dataSourceProperties = new LinkedHashMap<>(c.dataSourceProperties);
        }

        public Builder name(String v) { name = v; return this; }
        public Builder jdbcUrl(String v) { jdbcUrl = v; return this; }
        public Builder username(String v) { username = v; return this; }
        public Builder password(String v) { password = v; return this; }
        /** An explicit size; clears any sizing inputs. */
        public Builder maximumPoolSize(int v) { maximumPoolSize = v; sizing = null; return this; }
        /** Derive the size from load; clears any explicit size. */
        public Builder sizing(PoolSizing v) { sizing = v; maximumPoolSize = 0; return this; }
        /** Derive the size from load with the default headroom of {@value PoolSizing#DEFAULT_HEADROOM_PERCENT}%. */
        public Builder sizing(double peakRequestsPerSecond, Duration meanHoldTime, int databaseCores,
                              int databaseSpindles) {
            return sizing(new PoolSizing(peakRequestsPerSecond, meanHoldTime, PoolSizing.DEFAULT_HEADROOM_PERCENT,
                    databaseCores, databaseSpindles));
        }
        public Builder minimumIdle(Integer v) { minimumIdle = v; return this; }
        public Builder connectionTimeout(Duration v) { connectionTimeout = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder maxLifetime(Duration v) { maxLifetime = v; return this; }
        public Builder keepaliveTime(Duration v) { keepaliveTime = v; return this; }
        public Builder leakDetectionThreshold(Duration v) { leakDetectionThreshold = v; return this; }
        public Builder validationTimeout(Duration v) { validationTimeout = v; return this; }
        public Builder socketTimeout(Duration v) { socketTimeout = v; return this; }
        public Builder maxWaiting(int v) { maxWaiting = v; return this; }
        public Builder schema(String v) { schema = v; return this; }
        public Builder dataSourceProperty(String key, String value) {
            dataSourceProperties.put(key, value);
            return this;
        }

        /** The configuration, validated; throws {@link ConfigException} listing every problem. */
        public DbPoolConfig build() {
            DbPoolConfig config = new DbPoolConfig(name, jdbcUrl, username, password, maximumPoolSize, sizing,
                    minimumIdle, connectionTimeout, idleTimeout, maxLifetime, keepaliveTime, leakDetectionThreshold,
                    validationTimeout, socketTimeout, maxWaiting, schema, dataSourceProperties);
            Problems.throwIfAny(config.validate());
            return config;
        }
    }
}
