package dev.weft.cache.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import dev.weft.config.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Response;
import redis.clients.jedis.ScanIteration;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The second level: every Redis call the cache makes, each behind the {@link CircuitBreaker} and the configured
 * time bound. <b>Redis trouble is a miss, never an error</b>: a call that fails, times out or is refused by the open
 * breaker returns its "nothing" value ({@code null}, {@code false}) and the cache goes on to the loader. Failures
 * are counted in {@code cache.redis.errors} and logged once per outage, not once per call.
 *
 * <p>The client is made on first use rather than at construction ({@link Redis}), so that a node starts even while
 * Redis (or its sentinels, or its cluster) is down; making it is itself a guarded call.
 */
public final class RedisStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisStore.class);
    private static final byte[] UNLOCK = """
            if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"""
            .getBytes(StandardCharsets.UTF_8);

    private final RedisConfig config;
    private final CircuitBreaker breaker;
    private final MeterRegistry registry;
    private final Redis redis;
    private volatile boolean failing;
    private volatile boolean closed;

    /** @param onBreakerOpenOrClose runs each time the breaker opens or closes (see {@link CircuitBreaker}) */
    public RedisStore(RedisConfig config, MeterRegistry registry, Runnable onBreakerOpenOrClose) {
        this.config = Problems.requireValid("cache.redis", config, RedisConfig::validate);
        this.registry = registry;
        this.redis = new Redis(config, "weft-cache-" + config.keyPrefix());
        this.breaker = new CircuitBreaker(config.breakerFailures(), config.breakerOpenFor().toNanos(),
                System::nanoTime, onBreakerOpenOrClose);
        Gauge.builder("cache.redis.breaker", breaker, b -> b.state().ordinal())
                .description("Redis circuit breaker: 0 closed, 1 open, 2 half-open")
                .register(registry);
    }

    public RedisConfig config() {
        return config;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** The stored bytes, or {@code null} on a miss or on any trouble. */
    public byte[] get(byte[] key) {
        return call("get", null, jedis -> jedis.get(key));
    }

    /** The stored bytes of each key, {@code null} where absent; all {@code null} on trouble. One round trip. */
    public List<byte[]> getAll(List<byte[]> keys) {
        List<byte[]> none = Arrays.asList(new byte[keys.size()][]);
        return call("mget", none, jedis -> {
            try (AbstractPipeline pipeline = jedis.pipelined()) {
                List<Response<byte[]>> responses = new ArrayList<>(keys.size());
                for (byte[] key : keys) {
                    responses.add(pipeline.get(key));
                }
                pipeline.sync();
                List<byte[]> values = new ArrayList<>(keys.size());
                for (Response<byte[]> r : responses) {
                    values.add(r.get());
                }
                return values;
            }
        });
    }

    /** Stores {@code value} for {@code ttlMillis}; false on trouble. */
    public boolean set(byte[] key, byte[] value, long ttlMillis) {
        return call("set", false, jedis -> "OK".equals(jedis.set(key, value, SetParams.setParams().px(ttlMillis))));
    }

    /** Stores every pair, each with its own TTL, in one round trip; false on trouble. */
    public boolean setAll(List<byte[]> keys, List<byte[]> values, long[] ttlMillis) {
        return call("mset", false, jedis -> {
            try (AbstractPipeline pipeline = jedis.pipelined()) {
                for (int i = 0; i < keys.size(); i++) {
                    pipeline.set(keys.get(i), values.get(i), SetParams.setParams().px(ttlMillis[i]));
                }
                pipeline.sync();
                return true;
            }
        });
    }

    /** Deletes {@code key}; false on trouble (the entry may then live until its TTL ends). */
    public boolean delete(byte[] key) {
        return call("del", false, jedis -> {
            jedis.unlink(key);
            return true;
        });
    }

    /**
     * Deletes every key matching {@code pattern} (a {@code SCAN MATCH} glob) on every primary, in batches; the
     * number deleted, or -1 on trouble.
     */
    public long deleteMatching(String pattern) {
        return call("scan", -1L, jedis -> {
            long deleted = 0;
            ScanIteration scan = jedis.scanIteration(500, pattern);
            while (!scan.isIterationCompleted()) {
                ScanResult<String> batch = scan.nextBatch();
                if (batch.getResult().isEmpty()) {
                    continue;
                }
                try (AbstractPipeline pipeline = jedis.pipelined()) {
                    for (String key : batch.getResult()) {
                        pipeline.unlink(key);
                    }
                    pipeline.sync();
                }
                deleted += batch.getResult().size();
            }
            return deleted;
        });
    }

    /** {@code SET key token NX PX lease}: true if this caller now holds the lock; false if another does, or on trouble. */
    public boolean tryLock(byte[] key, byte[] token, long leaseMillis) {
        return call("lock", false,
                jedis -> "OK".equals(jedis.set(key, token, SetParams.setParams().nx().px(leaseMillis))));
    }

    /** Releases the lock if {@code token} still holds it (compare-and-delete in one script). */
    public void unlock(byte[] key, byte[] token) {
        call("unlock", null, jedis -> jedis.eval(UNLOCK, List.of(key), List.of(token)));
    }

    /** Publishes {@code message}; false on trouble (the other nodes' L1 then ages out by its TTL). */
    public boolean publish(byte[] channel, byte[] message) {
        return call("publish", false, jedis -> {
            jedis.publish(channel, message);
            return true;
        });
    }

    /** {@code PING} ({@link Redis#ping()}), past the breaker, for the readiness check: throws what Redis threw. */
    public void ping() {
        redis.ping();
    }

    /** A connection outside the pool's normal use, for a subscriber; the caller closes it. */
    Connection dedicatedConnection() {
        return redis.dedicatedConnection();
    }

    private <T> T call(String op, T onTrouble, Function<UnifiedJedis, T> command) {
        if (closed || !breaker.allow()) {
            return onTrouble;
        }
        T result;
        try {
            result = command.apply(redis.jedis());
        } catch (RuntimeException e) {
            breaker.onFailure();
            Counter.builder("cache.redis.errors").tag("op", op).register(registry).increment();
            if (!failing) {
                failing = true;
                log.warn("Redis call {} failed; cache reads fall back to their loaders until Redis answers again: {}",
                        op, e.toString());
            }
            return onTrouble;
        }
        breaker.onSuccess();
        if (failing) {
            failing = false;
            log.info("Redis answers again");
        }
        return result;
    }

    @Override
    public void close() {
        closed = true;
        redis.close();
    }
}
