package dev.weft.gateway.config;

import java.time.Duration;
import java.util.List;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;

/**
 * The Redis that shares rate-limit buckets between gateway instances, {@code gateway.rateLimit.redis}: a standalone
 * server. The keys are named as the cache module's {@code redis} section names them ({@code nodes},
 * {@code keyPrefix}, {@code timeout}, {@code poolSize}), so that a file keeps working when both read one Redis
 * configuration.
 *
 * @param nodes      the server as one {@code host:port}
 * @param keyPrefix  prefix of every key the gateway writes
 * @param timeout    the bound on connecting, on waiting for a pooled connection and on each script call; past it
 *                   the request is decided by the local bucket
 * @param poolSize   connections to Redis at most
 * @param retryAfter how long the gateway keeps using the local buckets after Redis failed, before trying it again
 */
public record RedisConfig(List<String> nodes, String keyPrefix, Duration timeout, int poolSize, Duration retryAfter) {
    public RedisConfig {
        nodes = nodes == null ? null : List.copyOf(nodes);
    }

    /** Redis on 127.0.0.1:6379, keys under {@code weft:gateway:rl:}, 50 ms, 64 connections, 1 s off after a failure. */
    public static RedisConfig defaults() {
        return new RedisConfig(List.of("127.0.0.1:6379"), "weft:gateway:rl:", Duration.ofMillis(50), 64,
                Duration.ofSeconds(1));
    }

    /** Reads the section; an absent key keeps its default; problems, validation included, go to the section's tree. */
    public static RedisConfig from(ConfigSection s) {
        RedisConfig d = defaults();
        RedisConfig c = new RedisConfig(s.strings("nodes", d.nodes), s.string("keyPrefix", d.keyPrefix),
                s.duration("timeout", d.timeout), s.integer("poolSize", d.poolSize),
                s.duration("retryAfter", d.retryAfter));
        c.validate(s.path(), s.problems());
        return c;
    }

    /** Adds every problem under {@code path} ({@code gateway.rateLimit.redis}). */
    public void validate(String path, Problems problems) {
        if (nodes == null || nodes.size() != 1) {
            problems.add(path + ".nodes", "must be one host:port (a standalone Redis), was "
                    + (nodes == null ? "not set" : nodes.size() + " addresses"));
        } else if (!UpstreamConfig.isHostPort(nodes.getFirst())) {
            problems.add(path + ".nodes", "must be one host:port with a port from 1 to 65535, was \""
                    + nodes.getFirst() + "\"");
        }
        problems.required(path + ".keyPrefix", keyPrefix);
        problems.positive(path + ".timeout", timeout);
        problems.atLeast(path + ".poolSize", poolSize, 1);
        problems.positive(path + ".retryAfter", retryAfter);
    }

    /** The host of the one node. */
    public String host() {
        String node = nodes.getFirst();
        return node.substring(0, node.lastIndexOf(':'));
    }

    /** The port of the one node. */
    public int port() {
        String node = nodes.getFirst();
        return Integer.parseInt(node.substring(node.lastIndexOf(':') + 1));
    }
}
