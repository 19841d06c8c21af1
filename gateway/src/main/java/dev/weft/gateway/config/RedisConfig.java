package dev.weft.gateway.config;

import java.time.Duration;
import java.util.List;

import dev.weft.http.config.ConfigSection;

/**
 * The Redis that shares rate-limit buckets between gateway instances.
 *
 * @param host      Redis host
 * @param port      Redis port
 * @param keyPrefix prefix of every key the gateway writes
 * @param timeout   how long one script call may take before the request falls back to the local bucket
 * @param retryAfter how long the gateway keeps using the local buckets after Redis failed, before trying it again
 */
public record RedisConfig(String host, int port, String keyPrefix, Duration timeout, Duration retryAfter) {
    /** 50 ms: a script call on a healthy Redis takes well under a millisecond; beyond this it is down or paused. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);
    /** 1 s: a failing Redis is not asked on every request, and a recovered one is back in use within a second. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    public static RedisConfig of(String host, int port, String keyPrefix) {
        return new RedisConfig(host, port, keyPrefix, DEFAULT_TIMEOUT, DEFAULT_RETRY_AFTER);
    }

    static RedisConfig from(ConfigSection t) {
        RedisConfig r = new RedisConfig(t.string("host", "127.0.0.1"), t.integer("port", 6379),
                t.string("keyPrefix", "weft:gateway:rl:"), t.duration("timeout", DEFAULT_TIMEOUT),
                t.duration("retryAfter", DEFAULT_RETRY_AFTER));
        t.rejectUnknownKeys(List.of("host", "port", "keyPrefix", "timeout", "retryAfter"));
        return r;
    }

    void validate(String path, List<String> problems) {
        Validation.required(path + ".host", host, problems);
        Validation.port(path + ".port", port, problems);
        Validation.required(path + ".keyPrefix", keyPrefix, problems);
        Validation.positive(path + ".timeout", timeout, problems);
        Validation.positive(path + ".retryAfter", retryAfter, problems);
    }
}
