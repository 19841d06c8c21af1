package dev.weft.cache.redis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.weft.config.Problems;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ClusterConnectionProvider;

/**
 * One process's way to the Redis a {@link RedisConfig} describes, standalone, Sentinel-managed or Cluster: the Jedis
 * client of that topology ({@link RedisClients}), made on first use rather than at construction, so that a process
 * starts while Redis, its sentinels or its cluster are down. Shared by everything in the process that talks to that
 * Redis: the caches' {@link RedisStore} and the gateway's shared rate limit each hold one.
 *
 * <p>What a caller does about failures (a circuit breaker, a fallback) is its own business: {@link #jedis()} and
 * every call on it throw {@link JedisException} when Redis cannot be reached within the configured timeout.
 *
 * <p>In Cluster mode two things are done here rather than by Jedis, because Jedis keeps the list of primaries it found
 * at start-up and never updates it (its slot map is updated, its primary list is not): after a failover that list
 * still names the failed primary and lacks the promoted replica. So {@link #ping()} pings every slot's current owner,
 * and {@link #dedicatedConnection()} picks a current owner, instead of going through that list.
 */
public final class Redis implements AutoCloseable {
    private final RedisConfig config;
    private final String clientName;
    private volatile RedisClients.Client client;
    private volatile boolean closed;

    /**
     * Connects nothing yet.
     *
     * @param clientName the name the connections give themselves ({@code CLIENT SETNAME}), to find them in
     *                   {@code CLIENT LIST}
     * @throws dev.weft.config.ConfigException listing every problem of an invalid {@code config}
     */
    public Redis(RedisConfig config, String clientName) {
        this.config = Problems.requireValid("redis", config, RedisConfig::validate);
        this.clientName = clientName;
    }

    public RedisConfig config() {
        return config;
    }

    /**
     * The client, made now if this is the first call (or the calls before failed to make it).
     *
     * @throws JedisException when it cannot be made: no sentinel answers, or no cluster node does
     * @throws IllegalStateException after {@link #close()}
     */
    public UnifiedJedis jedis() {
        return client().jedis();
    }

    /**
     * {@code PING}: the server (standalone), the primary (Sentinel), or every slot's primary (Cluster); throws what
     * Redis or the network threw. In Cluster mode a failure first refreshes the slot map and tries again, since a
     * failover may have moved slots to a promoted replica since the map was last read.
     */
    public void ping() {
        RedisClients.Client c = client();
        if (c.provider() instanceof ClusterConnectionProvider cluster) {
            try {
                pingPrimaries(cluster);
            } catch (JedisException e) {
                cluster.renewSlotCache();
                pingPrimaries(cluster);
            }
            return;
        }
        String pong = c.jedis().ping();
        if (!"PONG".equals(pong)) {
            throw new JedisException("Redis answered PING with " + pong);
        }
    }

    /**
     * A connection for a subscriber, outside the pool's normal use: to the primary (standalone, Sentinel), or to one
     * of the cluster's current primaries, which relay every {@code PUBLISH} made on any node of the cluster. The
     * caller closes it.
     */
    Connection dedicatedConnection() {
        RedisClients.Client c = client();
        if (!(c.provider() instanceof ClusterConnectionProvider cluster)) {
            return c.provider().getConnection();
        }
        try {
            return anyPrimary(cluster);
        } catch (JedisException e) {
            cluster.renewSlotCache();
            return anyPrimary(cluster);
        }
    }

    private RedisClients.Client client() {
        RedisClients.Client c = client;
        if (c != null && !closed) {
            return c;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("this Redis client is closed");
            }
            if (client == null) {
                client = RedisClients.create(config, clientName);
            }
            return client;
        }
    }

    /** The distinct owners of the cluster's slots, as the slot map says now. */
    private static Set<HostAndPort> primaries(ClusterConnectionProvider cluster) {
        Set<HostAndPort> owners = new LinkedHashSet<>();
        for (int slot = 0; slot < Protocol.CLUSTER_HASHSLOTS; slot++) {
            HostAndPort node = cluster.getNode(slot);
            if (node == null) {
                throw new JedisClusterOperationException("no known primary serves slot " + slot);
            }
            owners.add(node);
        }
        return owners;
    }

    private static void pingPrimaries(ClusterConnectionProvider cluster) {
        for (HostAndPort node : primaries(cluster)) {
            try (Connection connection = cluster.getConnection(node)) {
                connection.ping();
            }
        }
    }

    private static Connection anyPrimary(ClusterConnectionProvider cluster) {
        List<HostAndPort> nodes = new ArrayList<>(primaries(cluster));
        Collections.shuffle(nodes);
        JedisException first = null;
        for (HostAndPort node : nodes) {
            Connection connection = null;
            try {
                connection = cluster.getConnection(node);
                connection.ping();
                return connection;
            } catch (JedisException e) {
                if (connection != null) {
                    connection.close();
                }
                if (first == null) {
                    first = e;
                }
            }
        }
        throw new JedisClusterOperationException("no primary of the cluster answers", first);
    }

    /** Closes the client and its connections; calls after this throw {@link IllegalStateException}. */
    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            client.jedis().close();
        }
    }
}
