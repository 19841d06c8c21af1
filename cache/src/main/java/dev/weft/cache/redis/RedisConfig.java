package dev.weft.cache.redis;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;
import dev.weft.config.Units;

/**
 * How one node reaches Redis: topology, credentials, the hard time bound on every call and the circuit breaker: the
 * {@code cache.redis} section, shared by every cache of a {@link dev.weft.cache.Caches} in Redis mode. The service
 * README gives the reason for each default.
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
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(1);
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    /** The Redis topology. */
    public enum Mode { STANDALONE, SENTINEL, CLUSTER }

    public RedisConfig {
        nodes = nodes == null ? null : List.copyOf(nodes);
    }

    /** The defaults: a standalone Redis on 127.0.0.1:6379; the service README gives the reason for each. */
    public static RedisConfig defaults() {
        return new RedisConfig(Mode.STANDALONE, List.of("127.0.0.1:6379"), null, null, null, 0, "weft",
                Duration.ofMillis(100), 64, 5, Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    /**
     * Reads the {@code cache.redis} section: every key is named as the record's component, and an absent one keeps
     * its default. It does not validate: whether these settings matter depends on the cache's mode, so
     * {@link dev.weft.cache.CachesConfig} validates them, in Redis mode only.
     */
    public static RedisConfig from(ConfigSection s) {
        // Spelt out rather than read by reflection (ConfigSection.read): this runs before a service binds.
        RedisConfig d = defaults();
        return new RedisConfig(
                s.enumValue("mode", Mode.class, d.mode),
                s.strings("nodes", d.nodes),
                s.string("masterName", d.masterName),
                s.string("user", d.user),
                s.string("password", d.password),
                s.integer("database", d.database),
                s.string("keyPrefix", d.keyPrefix),
                s.duration("timeout", d.timeout),
                s.integer("poolSize", d.poolSize),
                s.integer("breakerFailures", d.breakerFailures),
                s.duration("breakerOpenFor", d.breakerOpenFor),
                s.duration("heartbeat", d.heartbeat));
    }

    /** Adds every problem with this configuration to {@code problems}, each under {@code path} (cache.redis). */
    public void validate(String path, Problems problems) {
        String p = path.isEmpty() ? "" : path + ".";
        problems.required(p + "mode", mode);
        if (nodes == null || nodes.isEmpty()) {
            problems.add(p + "nodes", "must list at least one host:port, was none");
        } else {
            problems.hostPorts(p + "nodes", nodes);
            if (mode == Mode.STANDALONE && nodes.size() != 1) {
                problems.add(p + "nodes", "must be one address in standalone mode, was " + nodes);
            }
        }
        if (mode == Mode.SENTINEL && (masterName == null || masterName.isBlank())) {
            problems.add(p + "masterName", "must be set in sentinel mode");
        } else if (mode != Mode.SENTINEL && masterName != null) {
            problems.add(p + "masterName", "must be unset outside sentinel mode (remove it), was \"" + masterName
                    + "\"");
        }
        problems.notNegative(p + "database", database);
        if (mode == Mode.CLUSTER && database != 0) {
            problems.add(p + "database", "must be 0 in cluster mode (Redis Cluster has only database 0), was "
                    + database);
        }
        problems.matches(p + "keyPrefix", keyPrefix, PREFIX, "1 to 64 characters of A-Z a-z 0-9 _ . -");
        if (timeout == null) {
            problems.add(p + "timeout", "must be set");
        } else if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            problems.add(p + "timeout", "must be between " + Units.format(MIN_TIMEOUT) + " and "
                    + Units.format(MAX_TIMEOUT) + ", was " + Units.format(timeout));
        }
        problems.atLeast(p + "poolSize", poolSize, 1);
        problems.atLeast(p + "breakerFailures", breakerFailures, 1);
        problems.positive(p + "breakerOpenFor", breakerOpenFor);
        problems.atLeast(p + "heartbeat", heartbeat, Duration.ofMillis(10));
    }
}
