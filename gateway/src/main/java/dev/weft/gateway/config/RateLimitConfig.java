package dev.weft.gateway.config;

import java.util.List;

import dev.weft.http.config.ConfigSection;

/**
 * The token bucket applied to routes with {@code rateLimit: true}: each key may make {@code burst} requests at
 * once and {@code ratePerSecond} on average.
 *
 * @param key           what a bucket belongs to
 * @param ratePerSecond tokens added per second
 * @param burst         the bucket's size
 * @param redis         share the buckets across gateway instances through Redis, or null for in-process buckets
 */
public record RateLimitConfig(KeySource key, double ratePerSecond, int burst, RedisConfig redis) {
    /** What identifies a caller for rate limiting. */
    public enum KeySource {
        /** The client's IP address. */
        IP,
        /** The authenticated API key (the client IP when the request carries none). */
        API_KEY,
        /** The authenticated subject, from an API key or a JWT (the client IP when there is none). */
        SUBJECT
    }

    public static RateLimitConfig local(KeySource key, double ratePerSecond, int burst) {
        return new RateLimitConfig(key, ratePerSecond, burst, null);
    }

    public RateLimitConfig withRedis(RedisConfig r) {
        return new RateLimitConfig(key, ratePerSecond, burst, r);
    }

    static RateLimitConfig from(ConfigSection t) {
        RateLimitConfig r = new RateLimitConfig(t.enumValue("key", KeySource.class, KeySource.IP),
                t.decimal("ratePerSecond", 100), t.integer("burst", 100),
                t.has("redis") ? RedisConfig.from(t.section("redis")) : null);
        t.rejectUnknownKeys(List.of("key", "ratePerSecond", "burst", "redis"));
        return r;
    }

    void validate(String path, List<String> problems) {
        if (!(ratePerSecond > 0)) {
            problems.add(path + ".ratePerSecond: must be positive, got " + ratePerSecond);
        }
        Validation.positive(path + ".burst", burst, problems);
        if (redis != null) {
            redis.validate(path + ".redis", problems);
        }
    }
}
