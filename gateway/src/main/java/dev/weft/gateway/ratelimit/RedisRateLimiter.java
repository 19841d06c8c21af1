package dev.weft.gateway.ratelimit;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.gateway.metrics.GatewayMetrics;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Token buckets shared by every gateway instance through Redis: one Lua script per request reads the bucket,
 * refills it by the time elapsed on Redis's own clock (so gateway clocks need not agree), takes a token and writes
 * it back, atomically. A bucket key expires once the bucket would be full again.
 *
 * <p>When Redis fails (down, paused, slower than the client timeout, pool exhausted) the request is decided by the
 * local buckets instead, and Redis is not asked again for {@code retryAfter}: an outage degrades to the per-instance
 * limit, never to an error and never to no limit at all.
 */
public final class RedisRateLimiter implements RateLimiter {
    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);

    /** KEYS[1] the bucket; ARGV[1] tokens per second; ARGV[2] burst. Returns {allowed, tokens * 1000}. */
    static final String SCRIPT = """
            local rate = tonumber(ARGV[1])
            local burst = tonumber(ARGV[2])
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
            local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
            local tokens = tonumber(bucket[1])
            local ts = tonumber(bucket[2])
            if tokens == nil or ts == nil then
              tokens = burst
              ts = now
            end
            if now > ts then
              tokens = math.min(burst, tokens + (now - ts) * rate / 1000000)
              ts = now
            end
            local allowed = 0
            if tokens >= 1 then
              tokens = tokens - 1
              allowed = 1
            end
            redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%.0f', ts))
            redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
            return {allowed, math.floor(tokens * 1000)}
            """;

    private final UnifiedJedis redis;
    private final String keyPrefix;
    private final double ratePerSecond;
    private final int burst;
    private final List<String> args;
    private final long retryAfterNanos;
    private final LocalRateLimiter fallback;
    private final GatewayMetrics metrics;
    private volatile String sha;
    private volatile long redisRetryAtNanos = System.nanoTime();
    private volatile boolean degraded;

    /**
     * @param redis      a pooled Jedis client whose socket timeout is the longest a request may wait for Redis
     * @param keyPrefix  prefix of every bucket key
     * @param retryAfter how long to decide locally after a Redis failure
     * @param fallback   the local buckets used while Redis fails
     */
    public RedisRateLimiter(UnifiedJedis redis, String keyPrefix, double ratePerSecond, int burst,
                            Duration retryAfter, LocalRateLimiter fallback, GatewayMetrics metrics) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.args = List.of(Double.toString(ratePerSecond), Integer.toString(burst));
        this.retryAfterNanos = retryAfter.toNanos();
        this.fallback = fallback;
        this.metrics = metrics;
    }

    @Override
    public Decision acquire(String key) {
        if (System.nanoTime() - redisRetryAtNanos < 0) {
            metrics.rateLimitFallback();
            return fallback.acquire(key);
        }
        try {
            List<?> reply = (List<?>) eval(List.of(keyPrefix + key));
            if (degraded) {
                degraded = false;
                log.info("rate limit: Redis answers again; buckets are shared again");
            }
            boolean allowed = ((Number) reply.get(0)).longValue() == 1;
            double tokens = ((Number) reply.get(1)).longValue() / 1000.0;
            return Decision.of(allowed, tokens, ratePerSecond, burst);
        } catch (JedisException | ClassCastException e) {
            redisRetryAtNanos = System.nanoTime() + retryAfterNanos;
            if (!degraded) {
                degraded = true;
                log.warn("rate limit: Redis failed ({}); using the local buckets, retrying Redis every {} ms",
                        e.toString(), retryAfterNanos / 1_000_000);
            }
            metrics.rateLimitFallback();
            return fallback.acquire(key);
        }
    }

    private Object eval(List<String> keys) {
        String s = sha;
        if (s != null) {
            try {
                return redis.evalsha(s, keys, args);
            } catch (JedisNoScriptException e) {
                sha = null;
            }
        }
        Object reply = redis.eval(SCRIPT, keys, args);
        sha = redis.scriptLoad(SCRIPT);
        return reply;
    }

    /** True while decisions are taken locally because Redis failed. */
    public boolean degraded() {
        return degraded;
    }
}
