package dev.weft.dbpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariConfig;

import dev.weft.config.ConfigException;
import dev.weft.config.ConfigTree;
import dev.weft.config.Problems;
import dev.weft.testkit.RecordReading;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class DbPoolConfigTest {

    /** Reads the {@code db} section of {@code tree} and throws on any problem, as a service's start-up does. */
    private static DbPoolConfig db(ConfigTree tree) {
        return tree.read("db", DbPoolConfig::from);
    }

    private static List<String> problems(ConfigTree tree) {
        return assertThrows(ConfigException.class, () -> db(tree)).problems();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        DbPoolConfig c = Configs.db(Map.of("url", "jdbc:postgresql://db/app"));
        assertEquals("db", c.name());
        assertEquals("", c.username());
        assertEquals("", c.password());
        assertNull(c.maximumPoolSize(), "unset");
        assertNull(c.sizing());
        assertEquals(10, c.sizingDecision().size(), "the size without maximumPoolSize or sizing");
        assertEquals(Duration.ofSeconds(10), c.connectionTimeout());
        assertEquals(Duration.ofMinutes(5), c.idleTimeout());
        assertEquals(Duration.ofMinutes(30), c.maxLifetime());
        assertEquals(Duration.ofMinutes(2), c.keepaliveTime());
        assertEquals(Duration.ofSeconds(60), c.leakDetectionThreshold());
        assertEquals(Duration.ofSeconds(2), c.validationTimeout());
        assertEquals(Duration.ofSeconds(30), c.socketTimeout());
        assertNull(c.minimumIdle(), "unset");
        assertEquals(10, hikari(c).getMinimumIdle(), "fixed-size by default");
        assertEquals(0, c.maxWaiting());
        assertNull(c.schema());
        assertEquals(Map.of(), c.dataSourceProperties());
        assertEquals(List.of("classpath:db/migration"), c.migrations());
        assertEquals("pool 10: set explicitly by maximumPoolSize", c.sizingDecision().reasoning());
        assertEquals(c, new DbPoolConfig("jdbc:postgresql://db/app", d().username(), d().password(), d().name(),
                d().maximumPoolSize(), d().sizing(), d().minimumIdle(), d().connectionTimeout(), d().idleTimeout(),
                d().maxLifetime(), d().keepaliveTime(), d().leakDetectionThreshold(), d().validationTimeout(),
                d().socketTimeout(), d().maxWaiting(), d().schema(), d().dataSourceProperties(), d().migrations()),
                "from() of an empty section is defaults() with the URL");
    }

    private static HikariConfig hikari(DbPoolConfig c) {
        return HikariPools.hikariConfig(c, c.sizingDecision(), new SimpleMeterRegistry());
    }

    private static DbPoolConfig d() {
        return DbPoolConfig.defaults();
    }

    @Test
    void everyKeyIsReadFromTheFile() {
        DbPoolConfig c = db(ConfigTree.parse("weft.yaml", """
                db:
                  url: jdbc:postgresql://db:5432/shop
                  username: shop
                  password: s3cret
                  name: orders
                  sizing:
                    peakRequestsPerSecond: 400
                    meanHoldTime: 25ms
                    headroomPercent: 30
                    databaseCores: 4
                    databaseSpindles: 1
                  minimumIdle: 4
                  connectionTimeout: 5s
                  idleTimeout: 2m
                  maxLifetime: 20m
                  keepaliveTime: 1m
                  leakDetectionThreshold: 30s
                  validationTimeout: 1s
                  socketTimeout: 15s
                  maxWaiting: 200
                  schema: shop
                  dataSourceProperties:
                    sslmode: require
                    prepareThreshold: 0
                  migrations: [classpath:db/migration, "filesystem:/srv/shop/sql"]
                """));
        assertEquals(new DbPoolConfig("jdbc:postgresql://db:5432/shop", "shop", "s3cret", "orders", null,
                new PoolSizing(400, Duration.ofMillis(25), 30, 4, 1), 4, Duration.ofSeconds(5),
                Duration.ofMinutes(2), Duration.ofMinutes(20), Duration.ofMinutes(1), Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofSeconds(15), 200, "shop",
                Map.of("sslmode", "require", "prepareThreshold", "0"),
                List.of("classpath:db/migration", "filesystem:/srv/shop/sql")), c);
        assertEquals("pool 9: 400 req/s x 25 ms = 10, +30% = 13, capped by 2x4+1 = 9", c.sizingDecision().reasoning());
    }

    @Test
    void everyKeyIsReadFromTheEnvironmentAndSystemProperties() {
        ConfigTree file = ConfigTree.parse("weft.yaml", """
                db:
                  url: jdbc:h2:mem:file
                  dataSourceProperties:
                    sslmode: disable
                """);
        Map<String, String> env = Map.ofEntries(
                Map.entry("WEFT_DB_URL", "jdbc:postgresql://db:5432/shop"),
                Map.entry("WEFT_DB_USERNAME", "shop"),
                Map.entry("WEFT_DB_PASSWORD", "s3cret"),
                Map.entry("WEFT_DB_NAME", "orders"),
                Map.entry("WEFT_DB_SIZING_PEAK_REQUESTS_PER_SECOND", "400"),
                Map.entry("WEFT_DB_SIZING_MEAN_HOLD_TIME", "25ms"),
                Map.entry("WEFT_DB_SIZING_HEADROOM_PERCENT", "30"),
                Map.entry("WEFT_DB_SIZING_DATABASE_CORES", "4"),
                Map.entry("WEFT_DB_SIZING_DATABASE_SPINDLES", "1"),
                Map.entry("WEFT_DB_MINIMUM_IDLE", "4"),
                Map.entry("WEFT_DB_CONNECTION_TIMEOUT", "5s"),
                Map.entry("WEFT_DB_IDLE_TIMEOUT", "2m"),
                Map.entry("WEFT_DB_MAX_LIFETIME", "20m"),
                Map.entry("WEFT_DB_KEEPALIVE_TIME", "1m"),
                Map.entry("WEFT_DB_LEAK_DETECTION_THRESHOLD", "30s"),
                Map.entry("WEFT_DB_VALIDATION_TIMEOUT", "1s"),
                Map.entry("WEFT_DB_SOCKET_TIMEOUT", "15s"),
                Map.entry("WEFT_DB_MAX_WAITING", "200"),
                Map.entry("WEFT_DB_SCHEMA", "shop"),
                Map.entry("WEFT_DB_DATA_SOURCE_PROPERTIES_SSLMODE", "require"),
                Map.entry("WEFT_DB_MIGRATIONS", "classpath:db/migration, filesystem:/srv/shop/sql"));
        DbPoolConfig c = db(file.withOverrides(env, Map.of("weft.db.sizing.databaseCores", "8")));
        assertEquals(new DbPoolConfig("jdbc:postgresql://db:5432/shop", "shop", "s3cret", "orders", null,
                new PoolSizing(400, Duration.ofMillis(25), 30, 8, 1), 4, Duration.ofSeconds(5),
                Duration.ofMinutes(2), Duration.ofMinutes(20), Duration.ofMinutes(1), Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofSeconds(15), 200, "shop", Map.of("sslmode", "require"),
                List.of("classpath:db/migration", "filesystem:/srv/shop/sql")), c,
                "the environment over the file, -Dweft.* over the environment");
        assertEquals(13, c.sizingDecision().size(), "under the cap 2x8+1 = 17 set by the property");

        assertEquals(List.of(), db(ConfigTree.empty().withOverrides(Map.of("WEFT_DB_URL", "jdbc:h2:mem:x",
                "WEFT_DB_MIGRATIONS", ""), Map.of())).migrations(), "an empty list turns migrations off");
        assertTrue(ConfigTree.empty().withOverrides(Map.of("WEFT_DB_URL", "jdbc:h2:mem:x"), Map.of())
                .section("db").isPresent(), "a db section given by the environment alone is present");
    }

    @Test
    void aDbSectionWithoutUrlIsAProblem() {
        assertEquals(List.of("db.url: must be set"), problems(ConfigTree.parse("weft.yaml", "db:\n")));
        assertEquals(List.of("db.url: must be set"),
                problems(ConfigTree.parse("weft.yaml", "db:\n  name: orders\n  maximumPoolSize: 4\n")));
    }

    @Test
    void theSizeIsEitherExplicitOrDerived() {
        assertEquals(List.of("db.maximumPoolSize: must be at least 1 (or db.sizing set to derive it from peak load),"
                + " was 0"), assertThrows(ConfigException.class,
                () -> Configs.db(Map.of("url", "jdbc:h2:mem:x", "maximumPoolSize", 0))).problems());

        assertEquals(List.of("db.maximumPoolSize: must not be set together with db.sizing, which derives the size:"
                + " choose one, was 5 (weft.yaml:3:3)"), problems(ConfigTree.parse("weft.yaml", """
                db:
                  url: jdbc:h2:mem:x
                  maximumPoolSize: 5
                  sizing: {peakRequestsPerSecond: 400, meanHoldTime: 25ms, databaseCores: 4, databaseSpindles: 1}
                """)));

        DbPoolConfig both = new DbPoolConfig("jdbc:h2:mem:x", "", "", "db", 5,
                new PoolSizing(1, Duration.ofMillis(1), 20, 1, 1), 1, Duration.ofSeconds(10),
                Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofMinutes(2), Duration.ZERO,
                Duration.ofSeconds(2), Duration.ZERO, 0, null, null, null);
        Problems problems = new Problems();
        both.validate("db", problems);
        assertEquals(List.of("db.maximumPoolSize: must not be set together with db.sizing, which derives the size:"
                + " choose one, was 5"), problems.list());
        assertThrows(ConfigException.class, () -> DbPool.open(both), "a record built by hand is validated too");

        DbPoolConfig derived = Configs.db(Map.of("url", "jdbc:h2:mem:x", "sizing", Map.of("peakRequestsPerSecond",
                400, "meanHoldTime", Duration.ofMillis(25), "databaseCores", 4, "databaseSpindles", 1)));
        assertNull(derived.maximumPoolSize(), "the sizing section replaces the default size");
        assertEquals(9, derived.sizingDecision().size());
        assertNull(derived.minimumIdle());
        assertEquals(9, hikari(derived).getMinimumIdle(), "fixed at the derived size");
        assertEquals(new PoolSizing(400, Duration.ofMillis(25), 20, 4, 1), derived.sizing(), "20% headroom");

        assertEquals(List.of("db.minimumIdle: must be between 0 and 9, was 12"), assertThrows(ConfigException.class,
                () -> Configs.db(Map.of("url", "jdbc:h2:mem:x", "minimumIdle", 12, "sizing", Map.of(
                        "peakRequestsPerSecond", 400, "meanHoldTime", Duration.ofMillis(25), "databaseCores", 4,
                        "databaseSpindles", 1)))).problems());
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        List<String> p = assertThrows(ConfigException.class, () -> Configs.db(Map.of(
                "url", "postgres://db",
                "name", " ",
                "sizing", Map.of("peakRequestsPerSecond", -5, "meanHoldTime", Duration.ZERO, "databaseCores", 0,
                        "databaseSpindles", -1),
                "connectionTimeout", Duration.ofMillis(100),
                "leakDetectionThreshold", Duration.ofMillis(500),
                "keepaliveTime", Duration.ofHours(1),
                "maxWaiting", -1))).problems();
        assertTrue(p.contains("db.name: must be set"), p::toString);
        assertTrue(p.contains("db.url: must be a JDBC URL starting with jdbc:, was \"postgres://db\""), p::toString);
        assertTrue(p.contains("db.sizing.peakRequestsPerSecond: must be a positive number of requests per second,"
                + " was -5"), p::toString);
        assertTrue(p.contains("db.sizing.meanHoldTime: must be positive, was 0s"), p::toString);
        assertTrue(p.contains("db.sizing.databaseCores: must be at least 1, was 0"), p::toString);
        assertTrue(p.contains("db.sizing.databaseSpindles: must not be negative, was -1"), p::toString);
        assertTrue(p.contains("db.connectionTimeout: must be at least 250ms, was 100ms"), p::toString);
        assertTrue(p.contains("db.leakDetectionThreshold: must be 0 (off) or at least 2s, was 500ms"), p::toString);
        assertTrue(p.contains("db.keepaliveTime: must be shorter than db.maxLifetime (30m), was 1h"), p::toString);
        assertTrue(p.contains("db.maxWaiting: must not be negative, was -1"), p::toString);
        assertTrue(p.contains("db.validationTimeout: must be shorter than db.connectionTimeout (100ms), was 2s"),
                p::toString);
        assertEquals(11, p.size(), p::toString);
    }

    @Test
    void problemsNameThePathAndWhereTheValueCameFrom() {
        ConfigTree tree = ConfigTree.parse("weft.yaml", """
                db:
                  url: jdbc:postgresql://db/shop
                  sizing:
                    peakRequestsPerSecond: 400
                    meanHoldTime: 25ms
                    databaseCores: 0
                  connectionTimeout: 100ms
                """).withOverrides(Map.of("WEFT_DB_MAX_WAITING", "-3"), Map.of());
        ConfigException e = assertThrows(ConfigException.class, () -> db(tree));
        assertEquals(List.of(
                "db.sizing.databaseCores: must be at least 1, was 0 (weft.yaml:6:5)",
                "db.connectionTimeout: must be at least 250ms, was 100ms (weft.yaml:7:3)",
                "db.validationTimeout: must be shorter than db.connectionTimeout (100ms), was 2s (db.connectionTimeout at weft.yaml:7:3)",
                "db.maxWaiting: must not be negative, was -3 (from WEFT_DB_MAX_WAITING)"), e.problems());
        assertTrue(e.getMessage().startsWith("invalid configuration (4 problems):"), e.getMessage());
    }

    @Test
    void unknownKeysAreReportedWhereverTheyAre() {
        ConfigTree tree = ConfigTree.parse("weft.yaml", """
                db:
                  url: jdbc:h2:mem:x
                  jdbcUrl: jdbc:h2:mem:y
                  sizing: {peakRequestsPerSecond: 400, meanHoldTime: 25ms, databaseCores: 4, cores: 4}
                """).withOverrides(Map.of("WEFT_DB_MAX_POOL_SIZE", "4"), Map.of("weft.db.sizing.spindles", "1"));
        List<String> p = problems(tree);
        assertEquals(4, p.size(), p::toString);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("db.jdbcUrl: unknown setting (weft.yaml:3:3)")), p::toString);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("db.sizing.cores: unknown setting (weft.yaml:4:78)")),
                p::toString);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("WEFT_DB_MAX_POOL_SIZE: environment variable for no setting"
                + " under db")), p::toString);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("-Dweft.db.sizing.spindles: system property for no setting"
                + " under db.sizing")), p::toString);
    }

    @Test
    void theSchemaMustBeAPlainSqlIdentifier() {
        for (String good : List.of("shop", "shop_2", "_x", "a".repeat(63))) {
            assertEquals(good, Configs.db(Map.of("url", "jdbc:h2:mem:x", "schema", good)).schema());
        }
        for (String bad : List.of("Shop", "2shop", "shop; DROP TABLE orders", "\"shop\"", "shop-eu", "a".repeat(64))) {
            List<String> p = assertThrows(ConfigException.class,
                    () -> Configs.db(Map.of("url", "jdbc:h2:mem:x", "schema", bad))).problems();
            assertEquals(List.of("db.schema: must be a lower-case SQL identifier (a-z, 0-9 and _, not starting with a"
                    + " digit, at most 63 characters), was \"" + bad + "\""), p);
        }
    }

    @Test
    void migrationsAreFlywayLocations() {
        assertEquals(List.of(), Configs.db(Map.of("url", "jdbc:h2:mem:x", "migrations", List.of())).migrations(),
                "an empty list: no migrations");
        assertEquals(List.of("db/migration", "classpath:a", "filesystem:C:/sql"), Configs.db(Map.of("url",
                "jdbc:h2:mem:x", "migrations", List.of("db/migration", "classpath:a", "filesystem:C:/sql"))).migrations());
        List<String> p = assertThrows(ConfigException.class, () -> Configs.db(Map.of("url", "jdbc:h2:mem:x",
                "migrations", List.of("classpath:db/migration", "s3:bucket/sql", " ")))).problems();
        assertEquals(List.of(
                "db.migrations: must be Flyway locations (classpath:db/migration, filesystem:/path),"
                        + " was \"s3:bucket/sql\"",
                "db.migrations: must be Flyway locations (classpath:db/migration, filesystem:/path), was \" \""), p);
    }

    @Test
    void thePasswordStaysOutOfToString() {
        DbPoolConfig c = Configs.db(Map.of("url", "jdbc:postgresql://db/app", "maximumPoolSize", 2,
                "username", "app", "password", "s3cret", "dataSourceProperties", Map.of("sslpassword", "k3y")));
        assertFalse(c.toString().contains("s3cret"), c.toString());
        assertFalse(c.toString().contains("k3y"), "driver property values may be secrets too: " + c);
        assertTrue(c.toString().contains("password=****"), c.toString());
    }

    @Test
    void theEmbeddedDefaultIsH2InPostgresMode() {
        String url = DbPoolConfig.embeddedH2Url("shop");
        assertTrue(url.startsWith("jdbc:h2:mem:shop;MODE=PostgreSQL;"), url);
        DbPoolConfig c = Configs.db(Map.of("url", url, "name", "shop", "maximumPoolSize", 8));
        assertEquals("shop", c.name());
        assertEquals(8, c.maximumPoolSize());
        assertEquals(DriverProperties.Database.H2, DriverProperties.databaseOf(c.url()));
    }

    @Test
    void readsLikeItsComponents() {
        RecordReading.assertSpeltOutAsItsComponents(DbPoolConfig.class, DbPoolConfig.defaults(), DbPoolConfig::from);
    }
}
