package dev.weft.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.weft.config.ConfigException;
import dev.weft.config.ConfigTree;
import dev.weft.config.Problems;

class CacheConfigTest {
    @Test
    void theDefaultsAreValidAndAreTheSeedsFigures() {
        CacheConfig c = CacheConfig.defaults();
        Problems problems = new Problems();
        c.validate("cache.caches.products", problems);
        assertEquals(List.of(), problems.list());
        assertEquals(Duration.ofMinutes(10), c.ttl());
        assertEquals(Duration.ofMinutes(5), c.ttlJitter());
        assertEquals(Duration.ofSeconds(60), c.nullTtl());
        assertEquals(c, ConfigTree.empty().read(CacheConfig::from), "an empty section is the defaults");
    }

    @Test
    void everyProblemIsReportedAtOnceEachNamingItsField() {
        CacheConfig bad = new CacheConfig(0, -1, Duration.ZERO, null, Duration.ofSeconds(-1), Duration.ofSeconds(-5),
                Duration.ofSeconds(-1), true, Duration.ofSeconds(1), Duration.ofSeconds(2), Double.NaN);
        ConfigException e = assertThrows(ConfigException.class,
                () -> Problems.requireValid("cache.caches.products", bad, CacheConfig::validate));
        List<String> fields = e.problems().stream().map(p -> p.substring(0, p.indexOf(':'))).toList();
        assertEquals(List.of("cache.caches.products.version", "cache.caches.products.localMaxEntries",
                "cache.caches.products.localTtl", "cache.caches.products.ttl", "cache.caches.products.ttlJitter",
                "cache.caches.products.nullTtl", "cache.caches.products.staleGrace",
                "cache.caches.products.lockWait", "cache.caches.products.earlyRefreshBeta"), fields);
        assertTrue(e.getMessage().contains("9 problems"), e.getMessage());
        assertTrue(e.problems().contains("cache.caches.products.lockWait: must not be longer than"
                + " cache.caches.products.lockLease (1s), was 2s"), e.getMessage());
    }

    @Test
    void aNullTtlOfZeroTurnsNullCachingOffAndANegativeOneIsRefused() {
        assertEquals(Duration.ZERO, ConfigTree.parse("c.yaml", "nullTtl: 0s").read(CacheConfig::from).nullTtl());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigTree.parse("c.yaml", "nullTtl: -1s").read(CacheConfig::from));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.problems().getFirst().startsWith("nullTtl: "), e.getMessage());
    }

    @Test
    void lockWaitMayExceedLockLeaseOnlyWhenNoLockIsTaken() {
        Map<String, Object> settings = Map.of("lockLease", "1s", "lockWait", "2s");
        assertEquals(Duration.ofSeconds(2), ConfigTree.of(settings).read(CacheConfig::from).lockWait());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigTree.of(Map.of(
                "crossNodeLock", true, "lockLease", "1s", "lockWait", "2s")).read(CacheConfig::from));
        assertEquals(List.of("lockWait: must not be longer than lockLease (1s), was 2s"), e.problems());
    }
}
