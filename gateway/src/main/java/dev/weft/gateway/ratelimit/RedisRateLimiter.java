package dev.weft.gateway.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.cache.redis.CircuitBreaker;
import dev.weft.cache.redis.Redis;
import dev.weft.cache.redis.RedisConfig;
import dev.weft.gateway.metrics.GatewayMetrics;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Token buckets shared by every gateway instance through Redis: one Lua script per request reads the bucket,
 * refills it by the time elapsed on Redis's own clock (so gateway clocks need not agree), takes a token and writes
 * it back, atomically. A bucket key expires once the bucket would be full again.
 *
 * <p>Redis is reached as the cache module reaches it ({@link Redis}: standalone, Sentinel or Cluster, every call
 * bounded by the configured {@code timeout}). A bucket is one key, {@code <keyPrefix>:ratelimit:<bucket>}, and the
 * script touches that key alone, so in a Cluster each call goes to the primary of that key's slot and buckets spread
 * over the primaries. The script is sent by {@code EVALSHA} of its SHA-1, computed here; a server that does not have
 * it yet (a new or restarted one, or a replica just promoted: scripts are not replicated) answers {@code NOSCRIPT},
 * and that one call is made with {@code EVAL}, which leaves the script in that server's cache.
 *
 * <p>When Redis fails (down, paused, slower than the timeout, failing over) the request is decided by the local
 * buckets instead: an outage degrades to the per-instance limit, never to an error and never to no limit at all.
 * After {@code breakerFailures} failures in a row the circuit breaker (the cache's, with the same settings) opens
 * and Redis is not asked for {@code breakerOpenFor}; then one request probes it.
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
    /** The script's SHA-1, as Redis names it in its script cache. */
    static final String SHA = sha1(SCRIPT);

    private final Redis redis;
    private final String keyPrefix;
    private final double ratePerSecond;
    private final int burst;
    private final List<String> args;
    private final CircuitBreaker breaker;
    private final LocalRateLimiter fallback;
    private final GatewayMetrics metrics;
    private volatile boolean degraded;

    /**
     * @param redis     the Redis the buckets live in; its configuration gives the key prefix and the breaker's
     *                  settings. The limiter does not close it
     * @param fallback  the local buckets used while Redis fails
     * @param nanoClock the breaker's clock, {@code System::nanoTime} outside tests
     */
    public RedisRateLimiter(Redis redis, double ratePerSecond, int burst, LocalRateLimiter fallback,
                            GatewayMetrics metrics, LongSupplier nanoClock) {
        RedisConfig config = redis.config();
        this.redis = redis;
        this.keyPrefix = config.keyPrefix() + ":ratelimit:";
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.args = List.of(Double.toString(ratePerSecond), Integer.toString(burst));
        this.breaker = new CircuitBreaker(config.breakerFailures(), config.breakerOpenFor().toNanos(), nanoClock);
        this.fallback = fallback;
        this.metrics = metrics;
    }

    @Override
    public Decision acquire(String key) {
        if (!breaker.allow()) {
            metrics.rateLimitFallback();
            return fallback.acquire(key);
        }
        boolean allowed;
        double tokens;
        try {
            List<?> reply = (List<?>) eval(keyPrefix + key);
            allowed = ((Number) reply.get(0)).longValue() == 1;
            tokens = ((Number) reply.get(1)).longValue() / 1000.0;
        } catch (RuntimeException e) {
            breaker.onFailure();
            if (!degraded) {
                degraded = true;
                log.warn("rate limit: Redis failed ({}); deciding with the local buckets until it answers again",
                        e.toString());
            }
            metrics.rateLimitFallback();
            return fallback.acquire(key);
        }
        breaker.onSuccess();
        if (degraded) {
            degraded = false;
            log.info("rate limit: Redis answers again; buckets are shared again");
        }
        return Decision.of(allowed, tokens, ratePerSecond, burst);
    }

    /** {@code EVALSHA}, or {@code EVAL} on the one server that answers {@code NOSCRIPT}. */
    private Object eval(String bucket) {
        UnifiedJedis jedis = redis.jedis();
        List<String> keys = List.of(bucket);
        try {
            return jedis.evalsha(SHA, keys, args);
        } catch (JedisNoScriptException e) {
            return jedis.eval(SCRIPT, keys, args);
        }
    }

    /** The Redis key of {@code bucket} ({@code ip:...}, {@code key:...}, {@code sub:...}). */
    String redisKey(String bucket) {
        return keyPrefix + bucket;
    }

    /** True while decisions are taken locally because Redis failed. */
    public boolean degraded() {
        return degraded;
    }

    /** The circuit breaker in front of Redis. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
