package dev.weft.cache.redis;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import dev.weft.http.ConfigException;
import dev.weft.http.config.Problems;

/**
 * How one node reaches Redis: topology, credentials, the hard time bound on every call and the circuit breaker.
 * Shared by every cache of a {@link dev.weft.cache.Caches}. Start from {@link #defaults()} and change fields with
 * {@link #toBuilder()}; {@link #validate()} lists every problem at once, each naming its field.
 *
 * @param mode            standalone server, Sentinel-managed primary, or Cluster
 * @param nodes           {@code host:port} addresses: the server (standalone), the sentinels (Sentinel) or some
 *                        cluster nodes to discover the others from (Cluster)
 * @param masterName      the primary's name as the sentinels know it (Sentinel only)
 * @param user            ACL user, or null for the default user
 * @param password        password, or null for none
 * @param database        the database number (standalone and Sentinel; Cluster has only 0)
 * @param keyPrefix       the first part of every key and the invalidation channel's name: one namespace per
 *                        application (and per test run)
 * @param timeout         the bound on connecting, on waiting for a pooled connection and on each reply; past it a
 *                        call counts as a failure and the read is a miss
 * @param poolSize        connections per Redis server
 * @param breakerFailures consecutive failures that open the circuit breaker
 * @param breakerOpenFor  how long the breaker stays open before one probe call may try Redis again
 * @param heartbeat       how often the invalidation subscriber pings; three heartbeats without an answer count as a
 *                        lost subscription (L1 is then cleared)
 */
public record RedisConfig(
        Mode mode,
        List<String> nodes,
        String masterName,
        String user,
        String password,
        int database,
        String keyPrefix,
        Duration timeout,
        int poolSize,
        int breakerFailures,
        Duration breakerOpenFor,
        Duration heartbeat) {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** The Redis topology. */
    public enum Mode { STANDALONE, SENTINEL, CLUSTER }

    public RedisConfig {
        nodes = nodes == null ? null : List.copyOf(nodes);
    }

    /** The defaults: a standalone Redis on 127.0.0.1:6379; see the module README for the reason behind each. */
    public static RedisConfig defaults() {
        return new RedisConfig(Mode.STANDALONE, List.of("127.0.0.1:6379"), null, null, null, 0, "weft",
                Duration.ofMillis(100), 64, 5, Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    /** Every problem with this configuration, each as {@code redis.<field>: what is wrong}; empty if valid. */
    public List<String> validate() {
        Problems problems = new Problems();
        if (mode == null) {
            problems.add("redis.mode: must be STANDALONE, SENTINEL or CLUSTER");
        }
        if (nodes == null || nodes.isEmpty()) {
            problems.add("redis.nodes: must list at least one host:port");
        } else {
            for (int i = 0; i < nodes.size(); i++) {
                if (!validAddress(nodes.get(i))) {
                    problems.add("redis.nodes[" + i + "]: must be host:port with a port of 1-65535, was \""
                            + nodes.get(i) + "\"");
                }
            }
            if (mode == Mode.STANDALONE && nodes.size() != 1) {
                problems.add("redis.nodes: STANDALONE takes exactly one address, got " + nodes.size());
            }
        }
        if (mode == Mode.SENTINEL && (masterName == null || masterName.isBlank())) {
            problems.add("redis.masterName: must be set in SENTINEL mode");
        }
        if (mode != Mode.SENTINEL && masterName != null) {
            problems.add("redis.masterName: is only used in SENTINEL mode; remove it");
        }
        problems.notNegative("redis.database", database);
        if (mode == Mode.CLUSTER && database != 0) {
            problems.add("redis.database: Redis Cluster has only database 0, was " + database);
        }
        problems.matches("redis.keyPrefix", keyPrefix, PREFIX, "1 to 64 characters of A-Z a-z 0-9 _ . -");
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toMillis() > 60_000) {
            problems.add("redis.timeout: must be between 1 ms and 60 s, was " + timeout);
        }
        problems.atLeast("redis.poolSize", poolSize, 1);
        problems.atLeast("redis.breakerFailures", breakerFailures, 1);
        problems.positive("redis.breakerOpenFor", breakerOpenFor);
        if (heartbeat == null || heartbeat.toMillis() < 10) {
            problems.add("redis.heartbeat: must be at least 10 ms, was " + heartbeat);
        }
        return problems.list();
    }

    /** Returns this configuration, or throws a {@link ConfigException} listing every problem. */
    public RedisConfig requireValid() {
        Problems.throwIfAny(validate());
        return this;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static boolean validAddress(String hostPort) {
        if (hostPort == null) {
            return false;
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            return port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A mutable copy of a configuration; {@link #build()} makes the record (unvalidated). */
    public static final class Builder {
        private Mode mode;
        private List<String> nodes;
        private String masterName;
        private String user;
        private String password;
        private int database;
        private String keyPrefix;
        private Duration timeout;
        private int poolSize;
        private int breakerFailures;
        private Duration breakerOpenFor;
        private Duration heartbeat;

        private Builder(RedisConfig c) {
            mode = c.mode;
            nodes = c.nodes;
            masterName = c.masterName;
            user = c.user;
            password = c.password;
            database = c.database;
            keyPrefix = c.keyPrefix;
            timeout = c.timeout;
            poolSize = c.poolSize;
            breakerFailures = c.breakerFailures;
            breakerOpenFor = c.breakerOpenFor;
            heartbeat = c.heartbeat;
        }

        public Builder mode(Mode v) { mode = v; return this; }
        public Builder nodes(List<String> v) { nodes = v; return this; }
        public Builder nodes(String... v) { nodes = List.of(v); return this; }
        public Builder masterName(String v) { masterName = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder password(String v) { password = v; return this; }
        public Builder database(int v) { database = v; return this; }
        public Builder keyPrefix(String v) { keyPrefix = v; return this; }
        public Builder timeout(Duration v) { timeout = v; return this; }
        public Builder poolSize(int v) { poolSize = v; return this; }
        public Builder breakerFailures(int v) { breakerFailures = v; return this; }
        public Builder breakerOpenFor(Duration v) { breakerOpenFor = v; return this; }
        public Builder heartbeat(Duration v) { heartbeat = v; return this; }

        public RedisConfig build() {
            return new RedisConfig(mode, nodes, masterName, user, password, database, keyPrefix, timeout, poolSize,
                    breakerFailures, breakerOpenFor, heartbeat);
        }
    }
}
