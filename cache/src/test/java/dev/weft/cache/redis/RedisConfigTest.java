package dev.weft.cache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.weft.http.ConfigException;

class RedisConfigTest {
    @Test
    void theDefaultsAreValid() {
        assertEquals(List.of(), RedisConfig.defaults().validate());
    }

    @Test
    void everyProblemIsReportedAtOnceEachNamingItsField() {
        RedisConfig bad = RedisConfig.defaults().toBuilder()
                .mode(RedisConfig.Mode.SENTINEL).nodes("redis-1:6379", "no-port", "x:99999")
                .database(-1).keyPrefix("a:b").timeout(Duration.ZERO).poolSize(0).breakerFailures(0)
                .breakerOpenFor(null).heartbeat(Duration.ofMillis(1)).build();
        ConfigException e = assertThrows(ConfigException.class, bad::requireValid);
        assertEquals(List.of("redis.nodes[1]", "redis.nodes[2]", "redis.masterName", "redis.database",
                        "redis.keyPrefix", "redis.timeout", "redis.poolSize", "redis.breakerFailures",
                        "redis.breakerOpenFor", "redis.heartbeat"),
                e.problems().stream().map(p -> p.substring(0, p.indexOf(':'))).toList());
    }

    @Test
    void eachModeChecksWhatItNeeds() {
        assertEquals(List.of("redis.nodes: STANDALONE takes exactly one address, got 2"),
                RedisConfig.defaults().toBuilder().nodes("a:1", "b:2").build().validate());
        assertEquals(List.of("redis.database: Redis Cluster has only database 0, was 3"),
                RedisConfig.defaults().toBuilder().mode(RedisConfig.Mode.CLUSTER).nodes("a:1", "b:2").database(3)
                        .build().validate());
        assertEquals(List.of("redis.masterName: is only used in SENTINEL mode; remove it"),
                RedisConfig.defaults().toBuilder().masterName("mymaster").build().validate());
        assertEquals(List.of(), RedisConfig.defaults().toBuilder().mode(RedisConfig.Mode.SENTINEL)
                .nodes("s1:26379", "s2:26379").masterName("mymaster").build().validate());
    }
}
