package dev.weft.cache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.weft.cache.Cache;
import dev.weft.cache.Caches;
import dev.weft.cache.CachesConfig;
import dev.weft.cache.codec.KeyCodec;
import dev.weft.config.ConfigTree;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Sentinel and Cluster by construction (the machine runs one standalone Redis): each mode builds the client of
 * that topology, which speaks that topology's protocol; and a node whose sentinels or cluster are unreachable still
 * starts and answers from its loaders.
 */
class RedisClientsTest {
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void standaloneBuildsAPooledRedisClientWithoutConnecting() throws Exception {
        RedisConfig config = ConfigTree.of(Map.of("nodes", List.of("127.0.0.1:" + closedPort())))
                .read(RedisConfig::from);
        RedisClients.Client client = RedisClients.create(config, "weft-cache-test");
        try {
            assertInstanceOf(RedisClient.class, client.jedis());
        } finally {
            client.jedis().close();
        }
    }

    @Test
    void sentinelModeAsksTheSentinelsForThePrimary() throws Exception {
        RedisConfig config = ConfigTree.of(Map.of("mode", RedisConfig.Mode.SENTINEL,
                "nodes", List.of("127.0.0.1:" + closedPort(), "127.0.0.1:" + closedPort()),
                "masterName", "weft-primary", "timeout", Duration.ofMillis(200))).read(RedisConfig::from);
        JedisException e = assertThrows(JedisException.class, () -> RedisClients.create(config, "weft-cache-test"));
        assertTrue(e.getMessage().toLowerCase().contains("sentinel"), e.getMessage());
    }

    @Test
    void clusterModeDiscoversTheSlotsFromTheSeeds() throws Exception {
        RedisConfig config = ConfigTree.of(Map.of("mode", RedisConfig.Mode.CLUSTER,
                "nodes", List.of("127.0.0.1:" + closedPort(), "127.0.0.1:" + closedPort()),
                "timeout", Duration.ofMillis(200))).read(RedisConfig::from);
        JedisException e = assertThrows(JedisException.class, () -> RedisClients.create(config, "weft-cache-test"));
        assertTrue(e.getMessage().toLowerCase().contains("cluster"), e.getMessage());
    }

    @Test
    void aNodeWhoseSentinelsAreDownStartsAndAnswersFromItsLoaders() throws Exception {
        CachesConfig config = ConfigTree.parse("cache.yaml", """
                mode: redis
                redis:
                  mode: sentinel
                  nodes: ["127.0.0.1:%d"]
                  masterName: weft-primary
                  keyPrefix: weft-cache-sentinel-test
                """.formatted(closedPort())).read(CachesConfig::from);
        try (Caches node = Caches.open(config, new SimpleMeterRegistry())) {
            Cache<Integer, String> cache = node.cache("s", KeyCodec.ints(), String.class);
            for (int i = 0; i < 10; i++) {
                assertEquals("v" + i, cache.get(i, k -> "v" + k));
            }
            assertEquals(CircuitBreaker.State.OPEN, node.breakerState());
        }
    }
}
