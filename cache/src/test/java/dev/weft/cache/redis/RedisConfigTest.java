package dev.weft.cache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.weft.cache.CachesConfig;
import dev.weft.config.ConfigException;
import dev.weft.config.ConfigTree;
import dev.weft.config.Problems;

class RedisConfigTest {
    @Test
    void theDefaultsAreValid() {
        Problems problems = new Problems();
        RedisConfig.defaults().validate("cache.redis", problems);
        assertEquals(List.of(), problems.list());
    }

    @Test
    void everyProblemIsReportedAtOnceEachNamingItsField() {
        RedisConfig bad = new RedisConfig(RedisConfig.Mode.SENTINEL, List.of("redis-1:6379", "no-port", "x:99999"),
                null, null, null, -1, "a:b", Duration.ZERO, 0, 0, null, Duration.ofMillis(1));
        ConfigException e = assertThrows(ConfigException.class,
                () -> Problems.requireValid("cache.redis", bad, RedisConfig::validate));
        assertEquals(List.of("cache.redis.nodes", "cache.redis.nodes", "cache.redis.masterName",
                        "cache.redis.database", "cache.redis.keyPrefix", "cache.redis.timeout",
                        "cache.redis.poolSize", "cache.redis.breakerFailures", "cache.redis.breakerOpenFor",
                        "cache.redis.heartbeat"),
                e.problems().stream().map(p -> p.substring(0, p.indexOf(':'))).toList());
        assertEquals("cache.redis.nodes: must be a list of host:port with ports from 1 to 65535, was \"no-port\" at"
                + " index 1", e.problems().get(0), "named by the list, the setting that has an origin");
        assertEquals("cache.redis.timeout: must be between 1ms and 1m, was 0s", e.problems().get(5));
    }

    @Test
    void eachModeChecksWhatItNeeds() {
        assertEquals(List.of("cache.redis.nodes: must be one address in standalone mode, was [a:1, b:2]"),
                problems("{nodes: [a:1, b:2]}"));
        assertEquals(List.of("cache.redis.database: must be 0 in cluster mode (Redis Cluster has only database 0),"
                        + " was 3"),
                problems("{mode: cluster, nodes: [a:1, b:2], database: 3}"));
        assertEquals(List.of("cache.redis.masterName: must be unset outside sentinel mode (remove it), was"
                        + " \"mymaster\""),
                problems("{masterName: mymaster}"));
        assertEquals(List.of("cache.redis.masterName: must be set in sentinel mode"),
                problems("{mode: sentinel, nodes: [s1:26379]}"));
        assertEquals(List.of(), problems("{mode: sentinel, nodes: [s1:26379, s2:26379], masterName: mymaster}"));
    }

    /** The problems of the {@code cache.redis} section {@code redis} in Redis mode, without their origins. */
    private static List<String> problems(String redis) {
        ConfigTree tree = ConfigTree.parse("c.yaml", "cache:\n  mode: redis\n  redis: " + redis + "\n");
        CachesConfig.from(tree.section("cache"));
        return tree.problems().list().stream().map(p -> p.replaceAll(" \\(c\\.yaml:\\d+:\\d+\\)$", "")).toList();
    }
}
