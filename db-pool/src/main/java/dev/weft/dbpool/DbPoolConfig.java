package dev.weft.dbpool;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;

/**
 * A pool's immutable configuration: the {@code db} section of a service's configuration. Read it with
 * {@link #from(ConfigSection)}, or in code with
 * {@code ConfigTree.of(Map.of("url", DbPoolConfig.embeddedH2Url("shop"))).read(DbPoolConfig::from)};
 * {@link #validate} lists every problem at once and {@link DbPool#open} refuses a configuration with any.
 *
 * <p>The size is either explicit ({@code maximumPoolSize}, {@value #DEFAULT_MAXIMUM_POOL_SIZE} when unset) or derived
 * from {@link PoolSizing} (Little's law, capped by the database host) when the {@code sizing} section is present,
 * never both; {@link #sizingDecision()} gives it. The pool is fixed-size unless {@code minimumIdle} is set: HikariCP
 * recommends it, because a pool that shrinks must open connections again exactly when a burst arrives. The service
 * README gives the reason for every default.
 *
 * @param url                    where the database is (required); its prefix also picks the driver properties
 * @param username               the database user (may be empty, as for embedded H2 or trust auth)
 * @param password               the user's password (may be empty); never shown by {@link #toString()}
 * @param name                   the pool's name: the {@code pool} tag of its metrics, its thread names, and the
 *                               {@code ApplicationName} it shows in {@code pg_stat_activity}
 * @param maximumPoolSize        the pool size, or null when unset: {@code sizing} derives it, else it is
 *                               {@value #DEFAULT_MAXIMUM_POOL_SIZE}
 * @param sizing                 the inputs of the sizing rule, or null when the size is explicit
 * @param minimumIdle            idle connections kept at least, or null when unset: the size (a fixed-size pool)
 * @param connectionTimeout      how long a caller waits for a connection before {@link PoolExhaustedException}
 * @param idleTimeout            how long a connection above {@code minimumIdle} may sit idle before it is closed;
 *                               applies only when {@code minimumIdle} is below the size (a fixed pool keeps all)
 * @param maxLifetime            the age at which an idle connection is retired and replaced
 * @param keepaliveTime          how often an idle connection is pinged so that firewalls and NATs keep it open
 * @param leakDetectionThreshold how long a connection may be out of the pool before a leak is logged; zero = off
 * @param validationTimeout      how long a liveness check (and the readiness query) may take
 * @param socketTimeout          the driver's read timeout: a query whose server went silent fails after it; zero = off
 * @param maxWaiting             the bulkhead: callers allowed to wait for a connection at once, 0 = no bulkhead
 * @param schema                 the schema every connection starts in and migrations run in, or null for the
 *                               driver's default; Flyway creates it if missing, but H2 must have it when the pool
 *                               opens ({@code ;INIT=CREATE SCHEMA IF NOT EXISTS name} in the URL)
 * @param dataSourceProperties   driver properties that add to or override the ones chosen for the URL
 * @param migrations             Flyway locations of the service's migrations, run by {@link DbPool#migrate()};
 *                               empty for none
 */
public record DbPoolConfig(
        String url,
        String username,
        String password,
        String name,
        Integer maximumPoolSize,
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
        Map<String, String> dataSourceProperties,
        List<String> migrations) {

    /**
     * The size without {@code maximumPoolSize} or {@code sizing}: HikariCP's own default, about the sizing rule's cap
     * for a 4-core database host.
     */
    public static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;
    /** HikariCP refuses timeouts below 250 ms. */
    private static final Duration HIKARI_MIN_TIMEOUT = Duration.ofMillis(250);
    /** HikariCP ignores a leak threshold below 2 s, a keepalive below 30 s, and a lifetime below 30 s. */
    private static final Duration HIKARI_MIN_LEAK_THRESHOLD = Duration.ofSeconds(2);
    private static final Duration HIKARI_MIN_KEEPALIVE = Duration.ofSeconds(30);
    private static final Duration HIKARI_MIN_LIFETIME = Duration.ofSeconds(30);
    /**
     * A lower-case SQL identifier that needs no quoting: PostgreSQL folds unquoted names to lower case and keeps 63
     * characters, H2 in the embedded URL folds to lower case too, and Flyway quotes the name it is given; only such a
     * name means the same schema to all three and to the service's own SQL.
     */
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** A Flyway location: {@code classpath:} or {@code filesystem:} and a path, or a bare classpath path. */
    private static final Pattern LOCATION = Pattern.compile("(classpath:|filesystem:)\\S.*|[^:\\s][^:]*");

    public DbPoolConfig {
        dataSourceProperties = dataSourceProperties == null ? Map.of() : Map.copyOf(dataSourceProperties);
        migrations = migrations == null ? List.of() : List.copyOf(migrations);
    }

    /**
     * The defaults; the service README gives the reason for each. There is no default URL: a {@code db}
     * section must name its database ({@link #embeddedH2Url} for the embedded one).
     */
    public static DbPoolConfig defaults() {
        return new DbPoolConfig(
                null,
                "",
                "",
                "db",
                null,
                null,
                null,
                Duration.ofSeconds(10),
                Duration.ofMinutes(5),
                Duration.ofMinutes(30),
                Duration.ofMinutes(2),
                Duration.ofSeconds(60),
                Duration.ofSeconds(2),
                Duration.ofSeconds(30),
                0,
                null,
                Map.of(),
                List.of("classpath:db/migration"));
    }

    /**
     * The URL of the embedded default: an in-memory H2 database in PostgreSQL mode named {@code database}, kept for
     * the life of the JVM. It lets a service run with nothing installed; the same SQL migrations run on it and on
     * PostgreSQL. The service needs H2 on its class path.
     */
    public static String embeddedH2Url(String database) {
        return "jdbc:h2:mem:" + database
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    }

    /**
     * Reads the {@code db} section: every key is named as the record's component, and an absent one keeps its
     * default. Problems go to the section's tree, validation included.
     */
    public static DbPoolConfig from(ConfigSection s) {
        // Spelt out rather than read by reflection (ConfigSection.read): this runs before a service binds. Each
        // setting in component order, as the reflective reading would (the tests hold the two to agree).
        DbPoolConfig d = defaults();
        String url = s.string("url", d.url);
        String username = s.string("username", d.username);
        String password = s.string("password", d.password);
        String name = s.string("name", d.name);
        Integer maximumPoolSize = s.optionalInteger("maximumPoolSize");
        ConfigSection sizingSection = s.section("sizing");
        PoolSizing sizing = sizingSection.isPresent()
                ? sizingSection.read(PoolSizing.class, PoolSizing.defaults()) : null;
        Integer minimumIdle = s.optionalInteger("minimumIdle");
        Duration connectionTimeout = s.duration("connectionTimeout", d.connectionTimeout);
        Duration idleTimeout = s.duration("idleTimeout", d.idleTimeout);
        Duration maxLifetime = s.duration("maxLifetime", d.maxLifetime);
        Duration keepaliveTime = s.duration("keepaliveTime", d.keepaliveTime);
        Duration leakDetectionThreshold = s.duration("leakDetectionThreshold", d.leakDetectionThreshold);
        Duration validationTimeout = s.duration("validationTimeout", d.validationTimeout);
        Duration socketTimeout = s.duration("socketTimeout", d.socketTimeout);
        int maxWaiting = s.integer("maxWaiting", d.maxWaiting);
        String schema = s.string("schema", d.schema);
        Map<String, String> dataSourceProperties = s.stringMap("dataSourceProperties");
        if (!s.keys().contains("dataSourceProperties")) {
            dataSourceProperties = d.dataSourceProperties;
        }
        List<String> migrations = s.strings("migrations", d.migrations);
        DbPoolConfig c = new DbPoolConfig(url, username, password, name, maximumPoolSize, sizing, minimumIdle,
                connectionTimeout, idleTimeout, maxLifetime, keepaliveTime, leakDetectionThreshold, validationTimeout,
                socketTimeout, maxWaiting, schema, dataSourceProperties, migrations);
        c.validate(s.path(), s.problems());
        return c;
    }

    /**
     * Adds every problem with this configuration to {@code problems}, each under {@code path} ({@code db}): what can
     * be known without connecting, and HikariCP's own limits, so that they are reported with the rest instead of
     * thrown one at a time when the pool starts.
     */
    public void validate(String path, Problems problems) {
        String p = path.isEmpty() ? "" : path + ".";
        problems.required(p + "url", url);
        if (url != null && !url.isBlank() && !url.startsWith("jdbc:")) {
            problems.add(p + "url", "must be a JDBC URL starting with jdbc:, was \"" + url + "\"");
        }
        if (username == null) {
            problems.add(p + "username", "must be set (empty is allowed)");
        }
        if (password == null) {
            problems.add(p + "password", "must be set (empty is allowed)");
        }
        problems.required(p + "name", name);
        if (sizing != null) {
            sizing.validate(p + "sizing", problems);
            if (maximumPoolSize != null) {
                problems.add(p + "maximumPoolSize", "must not be set together with " + p
                        + "sizing, which derives the size: choose one, was " + maximumPoolSize);
            }
        } else if (maximumPoolSize != null && maximumPoolSize < 1) {
            problems.add(p + "maximumPoolSize", "must be at least 1 (or " + p
                    + "sizing set to derive it from peak load), was " + maximumPoolSize);
        }
        if (minimumIdle != null) {
            int size = knownSize();
            if (size > 0) {
                problems.between(p + "minimumIdle", minimumIdle, 0, size);
            } else {
                problems.notNegative(p + "minimumIdle", minimumIdle);
            }
        }
        problems.atLeast(p + "connectionTimeout", connectionTimeout, HIKARI_MIN_TIMEOUT);
        problems.atLeast(p + "validationTimeout", validationTimeout, HIKARI_MIN_TIMEOUT);
        problems.atLeast(p + "maxLifetime", maxLifetime, HIKARI_MIN_LIFETIME);
        problems.atLeast(p + "keepaliveTime", keepaliveTime, HIKARI_MIN_KEEPALIVE);
        problems.atLeast(p + "idleTimeout", idleTimeout, Duration.ofSeconds(10));
        problems.zeroOrAtLeast(p + "leakDetectionThreshold", leakDetectionThreshold, HIKARI_MIN_LEAK_THRESHOLD);
        problems.zeroOrAtLeast(p + "socketTimeout", socketTimeout, Duration.ofSeconds(1));
        problems.shorterThan(p + "validationTimeout", validationTimeout, p + "connectionTimeout", connectionTimeout);
        problems.shorterThan(p + "keepaliveTime", keepaliveTime, p + "maxLifetime", maxLifetime);
        problems.shorterThan(p + "idleTimeout", idleTimeout, p + "maxLifetime", maxLifetime);
        problems.shorterThan(p + "leakDetectionThreshold", leakDetectionThreshold, p + "maxLifetime", maxLifetime);
        problems.notNegative(p + "maxWaiting", maxWaiting);
        if (schema != null) {
            problems.matches(p + "schema", schema, SCHEMA,
                    "a lower-case SQL identifier (a-z, 0-9 and _, not starting with a digit, at most 63 characters)");
        }
        for (String location : migrations) {
            if (location == null || !LOCATION.matcher(location).matches()) {
                problems.add(p + "migrations", "must be Flyway locations (classpath:db/migration,"
                        + " filesystem:/path), was \"" + location + "\"");
            }
        }
    }

    /** The pool's size, or 0 while the settings that give it are wrong. */
    private int knownSize() {
        if (sizing == null) {
            return maximumPoolSize == null || maximumPoolSize > 0 ? sizingDecision().size() : 0;
        }
        Problems check = new Problems();
        sizing.validate("sizing", check);
        return check.isEmpty() ? sizing.decide().size() : 0;
    }

    /** The size this configuration asks for, and why. Only meaningful on a valid configuration. */
    public SizingDecision sizingDecision() {
        if (sizing != null) {
            return sizing.decide();
        }
        return SizingDecision.explicit(maximumPoolSize != null ? maximumPoolSize : DEFAULT_MAXIMUM_POOL_SIZE);
    }

    /** Like the record's own, but the password is masked: configurations end up in logs. */
    @Override
    public String toString() {
        return "DbPoolConfig[url=" + url + ", username=" + username
                + ", password=" + (password == null || password.isEmpty() ? "(empty)" : "****")
                + ", name=" + name + ", maximumPoolSize=" + maximumPoolSize + ", sizing=" + sizing
                + ", minimumIdle=" + minimumIdle + ", connectionTimeout=" + connectionTimeout
                + ", idleTimeout=" + idleTimeout + ", maxLifetime=" + maxLifetime + ", keepaliveTime=" + keepaliveTime
                + ", leakDetectionThreshold=" + leakDetectionThreshold + ", validationTimeout=" + validationTimeout
                + ", socketTimeout=" + socketTimeout + ", maxWaiting=" + maxWaiting + ", schema=" + schema
                + ", dataSourceProperties=" + dataSourceProperties.keySet() + ", migrations=" + migrations + "]";
    }
}
