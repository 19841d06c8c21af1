package dev.weft.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.weft.cache.codec.KeyCodec;
import dev.weft.cache.redis.RedisConfig;
import dev.weft.config.ConfigException;
import dev.weft.config.ConfigTree;
import dev.weft.testkit.RecordReading;
import dev.weft.testkit.SettingsReference;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The {@code cache} section: every key from the file and from the environment, and every problem with its path. */
class CachesConfigTest {
    /** Every setting of the section, none at its default. */
    private static final String EVERY_KEY = """
            cache:
              mode: redis
              redis:
                mode: sentinel
                nodes: [s1:26379, s2:26379]
                masterName: primary
                user: shop
                password: secret
                database: 2
                keyPrefix: shop
                timeout: 250ms
                poolSize: 16
                breakerFailures: 3
                breakerOpenFor: 10s
                heartbeat: 2s
              caches:
                products:
                  version: 3
                  localMaxEntries: 500
                  localTtl: 30s
                  ttl: 5m
                  ttlJitter: 1m
                  nullTtl: 10s
                  staleGrace: 15s
                  crossNodeLock: true
                  lockLease: 3s
                  lockWait: 250ms
                  earlyRefreshBeta: 1.5
            """;

    /** What {@link #EVERY_KEY} says. */
    private static final CachesConfig EXPECTED = new CachesConfig(CachesConfig.Mode.REDIS,
            new RedisConfig(RedisConfig.Mode.SENTINEL, List.of("s1:26379", "s2:26379"), "primary", "shop", "secret",
                    2, "shop", Duration.ofMillis(250), 16, 3, Duration.ofSeconds(10), Duration.ofSeconds(2)),
            Map.of("products", new CacheConfig(3, 500, Duration.ofSeconds(30), Duration.ofMinutes(5),
                    Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofSeconds(15), true, Duration.ofSeconds(3),
                    Duration.ofMillis(250), 1.5)));

    private static CachesConfig read(ConfigTree tree) {
        return tree.read("cache", CachesConfig::from);
    }

    @Test
    void anEmptySectionIsTheDefaults() {
        CachesConfig c = read(ConfigTree.parse("c.yaml", "cache:\n"));
        assertEquals(CachesConfig.defaults(), c);
        assertEquals(CachesConfig.Mode.LOCAL, c.mode());
        assertEquals(Map.of(), c.caches());
    }

    @Test
    void everyKeyIsReadFromTheFile() {
        ConfigTree tree = ConfigTree.parse("c.yaml", EVERY_KEY);
        assertEquals(EXPECTED, read(tree));
        SettingsReference.assertFileSetsEverySettingRead(tree);
    }

    @Test
    void everyKeyIsReadFromTheEnvironment() {
        ConfigTree tree = ConfigTree.parse("c.yaml", "cache:\n  caches:\n    products:\n").withOverrides(Map.ofEntries(
                Map.entry("WEFT_CACHE_MODE", "redis"),
                Map.entry("WEFT_CACHE_REDIS_MODE", "sentinel"),
                Map.entry("WEFT_CACHE_REDIS_NODES", "s1:26379, s2:26379"),
                Map.entry("WEFT_CACHE_REDIS_MASTER_NAME", "primary"),
                Map.entry("WEFT_CACHE_REDIS_USER", "shop"),
                Map.entry("WEFT_CACHE_REDIS_PASSWORD", "secret"),
                Map.entry("WEFT_CACHE_REDIS_DATABASE", "2"),
                Map.entry("WEFT_CACHE_REDIS_KEY_PREFIX", "shop"),
                Map.entry("WEFT_CACHE_REDIS_TIMEOUT", "250ms"),
                Map.entry("WEFT_CACHE_REDIS_POOL_SIZE", "16"),
                Map.entry("WEFT_CACHE_REDIS_BREAKER_FAILURES", "3"),
                Map.entry("WEFT_CACHE_REDIS_BREAKER_OPEN_FOR", "10s"),
                Map.entry("WEFT_CACHE_REDIS_HEARTBEAT", "2s"),
                Map.entry("WEFT_CACHE_CACHES_PRODUCTS_VERSION", "3"),
                Map.entry("WEFT_CACHE_CACHES_PRODUCTS_LOCAL_MAX_ENTRIES", "500"),
                Map.entry("WEFT_CACHE_CACHES_PRODUCTS_LOCAL_TTL", "30s"),
                Map.entry("WEFT_CACHE_CACHES_PRODUCTS_TTL", "5m"),
                Map.entry("WEFT_CACHE_CACHES_PRODUCTS_TTL_JITTER", "1m"),
                Map.entry("WEFT_CACHE_CACHES_PRODUCTS_NULL_TTL", "10s"),
                Map.entry("WEFT_CACHE_CACHES_PRODUCTS_STALE_GRACE", "15s"),
                Map.entry("WEFT_CACHE_CACHES_PRODUCTS_CROSS_NODE_LOCK", "true"),
                Map.entry("WEFT_CACHE_CACHES_PRODUCTS_LOCK_LEASE", "3s"),
                Map.entry("WEFT_CACHE_CACHES_PRODUCTS_EARLY_REFRESH_BETA", "1.5")),
                Map.of("weft.cache.caches.products.lockWait", "250ms"));
        assertEquals(EXPECTED, read(tree));
    }

    @Test
    void theModeComesFromTheEnvironmentSoACacheCanBeTurnedOffWithoutACodeChange() {
        ConfigTree tree = ConfigTree.parse("c.yaml", "cache:\n  mode: redis\n")
                .withOverrides(Map.of("WEFT_CACHE_MODE", "off"), Map.of());
        assertEquals(CachesConfig.Mode.OFF, read(tree).mode());
    }

    @Test
    void aCacheTheFileDoesNotNameCannotBeSetFromTheEnvironmentAndSaysSo() {
        ConfigTree tree = ConfigTree.parse("c.yaml", "cache:\n  caches:\n    products:\n")
                .withOverrides(Map.of("WEFT_CACHE_CACHES_ORDERS_TTL", "1m"), Map.of());
        ConfigException e = assertThrows(ConfigException.class, () -> read(tree));
        assertEquals(List.of("WEFT_CACHE_CACHES_ORDERS_TTL: environment variable for no setting under cache.caches;"
                + " known sections: products"), e.problems());
    }

    @Test
    void unknownKeysAreReportedWithTheirOrigin() {
        ConfigTree tree = ConfigTree.parse("c.yaml", """
                cache:
                  mdoe: redis
                  redis: {nodes: ["a:1"], timout: 1s}
                  caches:
                    products: {ttl: 5m, nulTtl: 1s}
                """).withOverrides(Map.of("WEFT_CACHE_CACHES_PRODUCTS_LOCK_WIAT", "1s"), Map.of());
        ConfigException e = assertThrows(ConfigException.class, () -> read(tree));
        List<String> problems = e.problems();
        assertEquals(4, problems.size(), e.getMessage());
        assertEquals("cache.mdoe: unknown setting (c.yaml:2:3); known settings: mode, redis, caches",
                problems.get(0));
        assertTrue(problems.get(1).startsWith("cache.redis.timout: unknown setting (c.yaml:3:27); known settings:"
                + " mode, nodes, masterName,"), problems.get(1));
        assertTrue(problems.get(2).startsWith("cache.caches.products.nulTtl: unknown setting (c.yaml:5:25);"
                + " known settings: version, localMaxEntries,"), problems.get(2));
        assertTrue(problems.get(3).startsWith("WEFT_CACHE_CACHES_PRODUCTS_LOCK_WIAT: environment variable for no"
                + " setting under cache.caches.products; known settings: version,"), problems.get(3));
    }

    @Test
    void validationProblemsNameTheSettingsPathAndOrigin() {
        ConfigTree tree = ConfigTree.parse("c.yaml", """
                cache:
                  caches:
                    products: {ttl: 0s, crossNodeLock: true, lockLease: 1s}
                    users: {localMaxEntries: -1}
                """).withOverrides(Map.of("WEFT_CACHE_CACHES_PRODUCTS_LOCK_WAIT", "2s"), Map.of());
        ConfigException e = assertThrows(ConfigException.class, () -> read(tree));
        assertEquals(List.of(
                "cache.caches.products.ttl: must be positive, was 0s (c.yaml:3:16)",
                "cache.caches.products.lockWait: must not be longer than cache.caches.products.lockLease (1s),"
                        + " was 2s (from WEFT_CACHE_CACHES_PRODUCTS_LOCK_WAIT;"
                        + " cache.caches.products.lockLease at c.yaml:3:46)",
                "cache.caches.users.localMaxEntries: must not be negative, was -1 (c.yaml:4:13)"), e.problems());
    }

    @Test
    void theRedisSectionIsReadAlwaysButValidatedOnlyInRedisMode() {
        String yaml = "cache:\n  mode: local\n  redis: {nodes: [a:1, b:2], timeout: 0s}\n";
        assertEquals(List.of("a:1", "b:2"), read(ConfigTree.parse("c.yaml", yaml)).redis().nodes());
        ConfigException e = assertThrows(ConfigException.class, () -> read(ConfigTree.parse("c.yaml", yaml)
                .withOverrides(Map.of("WEFT_CACHE_MODE", "redis"), Map.of())));
        assertEquals(List.of(
                "cache.redis.nodes: must be one address in standalone mode, was [a:1, b:2] (c.yaml:3:11)",
                "cache.redis.timeout: must be between 1ms and 1m, was 0s (c.yaml:3:30)"), e.problems());
    }

    @Test
    void aNameThatWouldBreakTheKeyFormatIsRefused() {
        ConfigTree tree = ConfigTree.parse("c.yaml", """
                cache:
                  caches:
                    "": {}
                    "a:b": {}
                    "a b": {}
                    "a*": {}
                    fine_name-1.0: {}
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> read(tree));
        assertEquals(List.of(
                "cache.caches.: must be a name of 1 to 64 characters of A-Z a-z 0-9 _ . -, was \"\"",
                "cache.caches.a:b: must be a name of 1 to 64 characters of A-Z a-z 0-9 _ . -, was \"a:b\"",
                "cache.caches.a b: must be a name of 1 to 64 characters of A-Z a-z 0-9 _ . -, was \"a b\"",
                "cache.caches.a*: must be a name of 1 to 64 characters of A-Z a-z 0-9 _ . -, was \"a*\""),
                e.problems());

        try (Caches node = Caches.open(CachesConfig.defaults(), new SimpleMeterRegistry())) {
            for (String name : new String[] {"", "a:b", "a b", "a*", null}) {
                IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                        () -> node.cache(name, KeyCodec.longs(), String.class));
                assertTrue(refused.getMessage().startsWith("a cache name must be 1 to 64 characters"),
                        refused.getMessage());
            }
        }
    }

    @Test
    void openRefusesAConfigurationBuiltInCodeListingEveryProblem() {
        RedisConfig d = RedisConfig.defaults();
        CachesConfig bad = new CachesConfig(CachesConfig.Mode.REDIS,
                new RedisConfig(d.mode(), d.nodes(), null, null, null, 0, "weft", Duration.ZERO, 64, 5,
                        d.breakerOpenFor(), d.heartbeat()),
                Map.of("products", new CacheConfig(1, 10, Duration.ofSeconds(1), null, Duration.ZERO,
                        Duration.ofSeconds(1), Duration.ZERO, false, Duration.ofSeconds(1), Duration.ZERO, 1)));
        ConfigException e = assertThrows(ConfigException.class, () -> Caches.open(bad, new SimpleMeterRegistry()));
        assertEquals(List.of("cache.redis.timeout: must be between 1ms and 1m, was 0s",
                "cache.caches.products.ttl: must be set"), e.problems());
        ConfigException noMode = assertThrows(ConfigException.class,
                () -> Caches.open(new CachesConfig(null, null, null), new SimpleMeterRegistry()));
        assertEquals(List.of("cache.mode: must be set"), noMode.problems());
    }

    @Test
    void aCacheGetsItsNamesSettingsOrTheDefaultsAndANameNeverOpenedIsHarmless() {
        CachesConfig config = ConfigTree.parse("c.yaml", "caches: {unused: {ttl: 1s}, uncached: {localMaxEntries: 0}}")
                .read(CachesConfig::from);
        AtomicInteger loads = new AtomicInteger();
        Loader<Long, String> loader = id -> "v" + id + "#" + loads.incrementAndGet();
        try (Caches node = Caches.open(config, new SimpleMeterRegistry())) {
            Cache<Long, String> uncached = node.cache("uncached", KeyCodec.longs(), String.class);
            Cache<Long, String> other = node.cache("other", KeyCodec.longs(), String.class);
            assertEquals("uncached", uncached.name());
            assertEquals("other", other.name());
            assertEquals("v1#1", uncached.get(1L, loader));
            assertEquals("v1#2", uncached.get(1L, loader), "localMaxEntries 0 from the file: nothing kept");
            assertEquals("v1#3", other.get(1L, loader));
            assertEquals("v1#3", other.get(1L, loader), "a name the file lacks has the defaults: kept in L1");
        }
    }

    @Test
    void readsLikeItsComponents() {
        RecordReading.assertSpeltOutAsItsComponents(CachesConfig.class, CachesConfig.defaults(), CachesConfig::from);
        RecordReading.assertSpeltOutAsItsComponents(CacheConfig.class, CacheConfig.defaults(), CacheConfig::from);
        RecordReading.assertSpeltOutAsItsComponents(RedisConfig.class, RedisConfig.defaults(), RedisConfig::from);
    }
}
