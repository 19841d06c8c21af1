package dev.weft.cache.redis;

import dev.weft.health.HealthCheck;

/**
 * Readiness: Redis answers {@code PING} within the configured timeout. It goes past the circuit breaker (it must
 * tell the truth, not the breaker's memory) and says what the breaker thinks when it fails. Whether a node without
 * Redis should leave the load balancer is the application's call: the caches keep working from their loaders.
 */
public final class RedisHealthCheck implements HealthCheck {
    private final RedisStore redis;

    public RedisHealthCheck(RedisStore redis) {
        this.redis = redis;
    }

    @Override
    public void check() {
        try {
            redis.ping();
        } catch (RuntimeException e) {
            throw new IllegalStateException("Redis " + redis.config().nodes() + " does not answer PING (breaker "
                    + redis.breaker().state() + "): " + e.getMessage(), e);
        }
    }
}
