package dev.weft.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.weft.http.ConfigException;

class CacheConfigTest {
    @Test
    void theDefaultsAreValidAndAreTheSeedsFigures() {
        CacheConfig c = CacheConfig.defaults("products");
        assertEquals(List.of(), c.validate());
        assertEquals(Duration.ofMinutes(10), c.ttl());
        assertEquals(Duration.ofMinutes(5), c.ttlJitter());
        assertEquals(Duration.ofSeconds(60), c.nullTtl());
    }

    @Test
    void everyProblemIsReportedAtOnceEachNamingItsField() {
        CacheConfig bad = CacheConfig.defaults("products").toBuilder()
                .version(0).localMaxEntries(-1).localTtl(Duration.ZERO).ttl(null).ttlJitter(Duration.ofSeconds(-1))
                .nullTtl(Duration.ofSeconds(-5)).staleGrace(Duration.ofSeconds(-1)).crossNodeLock(true)
                .lockLease(Duration.ofSeconds(1)).lockWait(Duration.ofSeconds(2)).earlyRefreshBeta(Double.NaN)
                .build();
        ConfigException e = assertThrows(ConfigException.class, bad::requireValid);
        List<String> fields = e.problems().stream().map(p -> p.substring(0, p.indexOf(':'))).toList();
        assertEquals(List.of("cache.products.version", "cache.products.localMaxEntries", "cache.products.localTtl",
                "cache.products.ttl", "cache.products.ttlJitter", "cache.products.nullTtl",
                "cache.products.staleGrace", "cache.products.lockWait", "cache.products.earlyRefreshBeta"), fields);
        assertTrue(e.getMessage().contains("9 problems"), e.getMessage());
    }

    @Test
    void aNameThatWouldBreakTheKeyFormatIsRefused() {
        for (String name : new String[] {"", "a:b", "a b", "a*", null}) {
            List<String> problems = CacheConfig.defaults(name).validate();
            assertEquals(1, problems.size(), String.valueOf(problems));
            assertTrue(problems.get(0).startsWith("cache.") && problems.get(0).contains("name: must be"),
                    problems.get(0));
        }
    }
}
