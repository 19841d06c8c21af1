package dev.weft.cache.redis;

import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;

/**
 * Builds the Jedis client for a {@link RedisConfig}: {@link RedisClient}, {@link RedisSentinelClient} or
 * {@link RedisClusterClient} (Jedis 7's unified clients), every one over a connection provider that this class
 * makes itself, so that the invalidation subscriber can take a dedicated connection from the same topology.
 * {@link Redis} makes it on first use.
 *
 * <p>The time bound: connect, socket read and pool borrow all use {@code timeout}; Cluster's retries on redirects
 * are capped at {@code timeout} in total.
 */
final class RedisClients {
    private RedisClients() {}

    /** A client and the provider it draws connections from; closing the client closes the provider. */
    record Client(UnifiedJedis jedis, ConnectionProvider provider) {
        Connection dedicatedConnection() {
            return provider.getConnection();
        }
    }

    /**
     * The client; Sentinel and Cluster connect at once (to find the primary, to read the slot map) and throw
     * {@link redis.clients.jedis.exceptions.JedisException} when they cannot.
     *
     * @param clientName what its connections call themselves ({@code CLIENT SETNAME})
     */
    static Client create(RedisConfig config, String clientName) {
        int timeoutMillis = (int) config.timeout().toMillis();
        JedisClientConfig clientConfig = clientConfig(config, clientName, timeoutMillis, config.database());
        GenericObjectPoolConfig<Connection> pool = poolConfig(config);
        Set<HostAndPort> nodes = nodes(config);
        return switch (config.mode()) {
            case STANDALONE -> {
                var provider = new PooledConnectionProvider(nodes.iterator().next(), clientConfig, pool);
                yield new Client(RedisClient.builder().connectionProvider(provider).clientConfig(clientConfig)
                        .poolConfig(pool).build(), provider);
            }
            case SENTINEL -> {
                JedisClientConfig sentinelConfig = clientConfig(config, clientName, timeoutMillis, 0);
                var provider = new SentineledConnectionProvider(config.masterName(), clientConfig, pool, nodes,
                        sentinelConfig);
                yield new Client(RedisSentinelClient.builder().connectionProvider(provider)
                        .masterName(config.masterName()).sentinels(nodes).clientConfig(clientConfig)
                        .sentinelClientConfig(sentinelConfig).poolConfig(pool).build(), provider);
            }
            case CLUSTER -> {
                var provider = new ClusterConnectionProvider(nodes, clientConfig, pool);
                yield new Client(RedisClusterClient.builder().connectionProvider(provider).nodes(nodes)
                        .clientConfig(clientConfig).poolConfig(pool).maxAttempts(3)
                        .maxTotalRetriesDuration(config.timeout()).build(), provider);
            }
        };
    }

    static JedisClientConfig clientConfig(RedisConfig config, String clientName, int timeoutMillis, int database) {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .database(database)
                .clientName(clientName);
        if (config.user() != null) {
            b.user(config.user());
        }
        if (config.password() != null) {
            b.password(config.password());
        }
        return b.build();
    }

    static GenericObjectPoolConfig<Connection> poolConfig(RedisConfig config) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(config.poolSize());
        pool.setMaxIdle(config.poolSize());
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(config.timeout());
        pool.setTestOnBorrow(false);
        pool.setTestWhileIdle(false);
        pool.setJmxEnabled(false);
        return pool;
    }

    static Set<HostAndPort> nodes(RedisConfig config) {
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        for (String node : config.nodes()) {
            nodes.add(HostAndPort.from(node));
        }
        return nodes;
    }
}
