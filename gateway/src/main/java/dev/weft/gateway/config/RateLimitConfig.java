package dev.weft.gateway.config;

import java.math.BigDecimal;

import dev.weft.cache.redis.RedisConfig;
import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;

/**
 * The token bucket applied to routes with {@code rateLimit: true}, {@code gateway.rateLimit}: each key may make
 * {@code burst} requests at once and {@code ratePerSecond} on average.
 *
 * @param key           what a bucket belongs to
 * @param ratePerSecond tokens added per second
 * @param burst         the bucket's size
 * @param failedAuth    how fast a client IP may fail authentication, on every route that requires it
 * @param redis         share the buckets across gateway instances through this Redis (the cache module's
 *                      {@link RedisConfig}: standalone, Sentinel or Cluster, with its timeout and circuit breaker), or
 *                      null for in-process buckets
 */
public record RateLimitConfig(KeySource key, double ratePerSecond, int burst, FailedAuthConfig failedAuth,
                              RedisConfig redis) {
    /** What identifies a caller for rate limiting. */
    public enum KeySource {
        /** The client's IP address. */
        IP,
        /** The authenticated API key (the client IP when the request carries none). */
        API_KEY,
        /** The authenticated subject, from an API key or a JWT (the client IP when there is none). */
        SUBJECT
    }

    /** Per client IP, 100 requests per second with bursts of 100, the default failure limit, in process. */
    public static RateLimitConfig defaults() {
        return new RateLimitConfig(KeySource.IP, 100, 100, FailedAuthConfig.defaults(), null);
    }

    /**
     * Reads the section; an absent key keeps its default, and the {@code redis} section, when given (in the file or
     * by an override), shares the buckets through Redis. Problems, validation included, go to the section's tree.
     */
    public static RateLimitConfig from(ConfigSection s) {
        // The failedAuth section checked itself as it was read.
        return s.read(RateLimitConfig.class, defaults(), RateLimitConfig::validateOwn);
    }

    /** Adds every problem under {@code path} ({@code gateway.rateLimit}), the nested sections' included. */
    public void validate(String path, Problems problems) {
        validateOwn(path, problems);
        if (failedAuth == null) {
            problems.add(path + ".failedAuth", "must be set (FailedAuthConfig.defaults())");
        } else {
            failedAuth.validate(path + ".failedAuth", problems);
        }
    }

    /** This record's own settings and the Redis section (whose reader does not validate). */
    private void validateOwn(String path, Problems problems) {
        problems.required(path + ".key", key);
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            problems.add(path + ".ratePerSecond", "must be positive, was "
                    + (Double.isFinite(ratePerSecond)
                            ? BigDecimal.valueOf(ratePerSecond).stripTrailingZeros().toPlainString()
                            : String.valueOf(ratePerSecond)));
        }
        problems.atLeast(path + ".burst", burst, 1);
        if (redis != null) {
            redis.validate(path + ".redis", problems);
        }
    }
}
