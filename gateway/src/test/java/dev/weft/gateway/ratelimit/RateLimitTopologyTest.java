package dev.weft.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.weft.cache.redis.CircuitBreaker;
import dev.weft.cache.redis.Redis;
import dev.weft.cache.redis.RedisConfig;
import dev.weft.config.ConfigTree;
import dev.weft.gateway.metrics.GatewayMetrics;
import dev.weft.testkit.Eventually;
import dev.weft.testkit.RedisTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The shared rate limit on a real Redis topology, started for the test class on loopback ports by testkit's
 * {@link RedisTopology}: two limiters (two gateway instances, each with its own Redis client) share one bucket within
 * 5% of its rate, and a primary killed under load degrades every decision to the local buckets, none failing, until
 * the replica is promoted; then the script, which the promoted replica never had, is sent again and the buckets are
 * shared again. {@link RateLimitClusterTest} runs it on a Cluster, {@link RateLimitSentinelTest} under Sentinel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RateLimitTopologyTest {
    private RedisTopology topology;

    /** Starts the topology the tests run on. */
    abstract RedisTopology start();

    @BeforeAll
    void startTopology() {
        topology = start();
    }

    @AfterAll
    void stopTopology() {
        if (topology != null) {
            topology.close();
        }
    }

    /** The {@code gateway.rateLimit.redis} section for {@code t}, a key prefix of its own, {@code yaml} over it. */
    private static RedisConfig config(RedisTopology t, String yaml) {
        Map<String, Object> redis = new LinkedHashMap<>(t.redisSettings());
        redis.put("keyPrefix", "weft-gateway-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        return ConfigTree.parse("gateway.yaml", yaml).over(ConfigTree.of(redis)).read(RedisConfig::from);
    }

    private static double fallbacks(SimpleMeterRegistry registry) {
        return registry.get("gateway.ratelimit.fallback").counter().count();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        Eventually.await(timeout, what, condition::getAsBoolean);
    }

    @Test
    void twoLimitersShareOneBucketWithinFivePercentOfTheRate() throws Exception {
        double rate = 200;
        int burst = 200; // a deep bucket: clients stalled for up to a second on a busy machine lose no refill to the cap
        RedisConfig config = config(topology, "timeout: 3s"); // a generous timeout: this test is about accuracy
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        GatewayMetrics metrics = new GatewayMetrics(registry);
        try (Redis first = new Redis(config, "weft-gateway-test"); Redis second = new Redis(config, "weft-gateway-test")) {
            List<RedisRateLimiter> limiters = List.of(
                    new RedisRateLimiter(first, rate, burst, new LocalRateLimiter(rate, burst), metrics, System::nanoTime),
                    new RedisRateLimiter(second, rate, burst, new LocalRateLimiter(rate, burst), metrics, System::nanoTime));
            String bucket = "ip:10.1.2.3";
            String key = limiters.getFirst().redisKey(bucket);
            String primary = topology.primaryFor(key);
            for (RedisRateLimiter limiter : limiters) {
                // Connected (Sentinel and Cluster clients ask the topology first) and warm before the run.
                assertTrue(limiter.acquire("ip:10.0.0.1").allowed());
            }
            // Emptied first: a full bucket would lose to its cap what it refills while the threads start (a
            // redis-cli process and eight threads on a busy machine took 0.2 s once, and the count came out 45 short).
            int drained = 0;
            while (limiters.getFirst().acquire(bucket).allowed()) {
                drained++;
            }
            assertTrue(drained >= burst, "the bucket started full: " + drained + " admitted before the first denial");
            long firstCall = Long.parseLong(topology.cli(primary, "HGET", key, "ts").strip());
            double atFirstCall = Double.parseDouble(topology.cli(primary, "HGET", key, "tokens").strip());

            // Four threads per limiter ask every 4 ms for 3 s (1,000 a second, five times the rate). From the emptied
            // bucket's last call to the run's last call the limiters together must have admitted what it held then
            // plus the rate times the time between the two calls on Redis's clock, less the tokens left: within 5%
            // of the rate's part. Two unshared buckets would admit about twice that, a racy update more.
            AtomicLong admitted = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                RedisRateLimiter limiter = limiters.get(i % 2);
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    long next = System.nanoTime();
                    long end = next + Duration.ofSeconds(3).toNanos();
                    while (System.nanoTime() < end) {
                        if (limiter.acquire(bucket).allowed()) {
                            admitted.incrementAndGet();
                        }
                        next += 4_000_000;
                        LockSupport.parkNanos(next - System.nanoTime());
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(0, fallbacks(registry), "Redis decided every request");
            long lastCall = Long.parseLong(topology.cli(primary, "HGET", key, "ts").strip());
            double left = Double.parseDouble(topology.cli(primary, "HGET", key, "tokens").strip());
            double seconds = (lastCall - firstCall) / 1e6;
            double refilled = rate * seconds;
            assertTrue(seconds > 2.5, "the run lasted about 3 s on Redis's clock: " + seconds);
            System.out.printf("%s shared bucket: %d admitted over %.3f s, %.1f expected%n", topology.kind(),
                    admitted.get(), seconds, atFirstCall + refilled - left);
            assertEquals(atFirstCall + refilled - left, admitted.get(), refilled * 0.05,
                    "both limiters together admit the shared rate over " + seconds + " s");
        }
    }

    @Test
    void aPrimaryKilledUnderLoadDegradesToTheLocalBucketsAndTheScriptIsSentAgainAfterThePromotion()
            throws Exception {
        try (RedisTopology own = start()) {
            RedisConfig config = config(own, "{timeout: 500ms, breakerOpenFor: 300ms}");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (Redis redis = new Redis(config, "weft-gateway-test")) {
                RedisRateLimiter limiter = new RedisRateLimiter(redis, 1000, 1000, new LocalRateLimiter(1000, 1000),
                        new GatewayMetrics(registry), System::nanoTime);
                String bucket = "ip:10.9.9.9";
                String key = limiter.redisKey(bucket);
                String victim = own.primaryFor(key);
                String replica = own.replicaOf(victim);
                assertTrue(limiter.acquire(bucket).allowed());
                assertEquals("1", own.cli(victim, "SCRIPT", "EXISTS", RedisRateLimiter.SHA).strip());
                assertEquals("0", own.cli(replica, "SCRIPT", "EXISTS", RedisRateLimiter.SHA).strip(),
                        "scripts are not replicated: the replica will answer NOSCRIPT once promoted");

                ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
                AtomicLong decisions = new AtomicLong();
                AtomicLong slowest = new AtomicLong();
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    threads.add(Thread.ofVirtual().start(() -> {
                        long next = System.nanoTime();
                        while (!stop.get()) {
                            long start = System.nanoTime();
                            try {
                                limiter.acquire(bucket);
                            } catch (RuntimeException e) {
                                failures.add(e.toString());
                            }
                            slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
                            decisions.incrementAndGet();
                            next += 5_000_000;
                            LockSupport.parkNanos(next - System.nanoTime());
                        }
                    }));
                }
                try {
                    await("the load to be under way", Duration.ofSeconds(10), () -> decisions.get() > 100);
                    long killed = System.nanoTime();
                    own.kill(victim);
                    await("decisions to fall back to the local buckets", Duration.ofSeconds(10),
                            () -> fallbacks(registry) > 0);
                    long degradedAt = System.nanoTime();
                    own.awaitFailover(victim, replica, Duration.ofSeconds(30));
                    long promotedAt = System.nanoTime();
                    await("Redis to decide again", Duration.ofSeconds(20),
                            () -> limiter.breaker().state() == CircuitBreaker.State.CLOSED && !limiter.degraded());
                    long sharedAgainAt = System.nanoTime();
                    double fallbacksSoFar = fallbacks(registry);
                    long decisionsSoFar = decisions.get();
                    await("twenty more decisions", Duration.ofSeconds(10), () -> decisions.get() > decisionsSoFar + 20);
                    stop.set(true);
                    for (Thread t : threads) {
                        t.join();
                    }
                    assertEquals(List.of(), List.copyOf(failures), "no decision failed");
                    assertEquals(fallbacksSoFar, fallbacks(registry), "Redis decides every request again");
                    assertFalse(limiter.degraded());
                    assertEquals("1", own.cli(replica, "SCRIPT", "EXISTS", RedisRateLimiter.SHA).strip(),
                            "after NOSCRIPT the script was sent with EVAL, which left it on the promoted replica");
                    assertEquals("1", own.cli(replica, "EXISTS", key).strip(), "the bucket lives on the new primary");
                    System.out.printf("%s failover of the shared rate limit: %d decisions, %.0f of them local;"
                                    + " from the kill: local buckets at %d ms, replica promoted at %d ms, shared"
                                    + " again at %d ms; slowest decision %d ms%n", own.kind(), decisions.get(),
                            fallbacks(registry), (degradedAt - killed) / 1_000_000,
                            (promotedAt - killed) / 1_000_000, (sharedAgainAt - killed) / 1_000_000,
                            slowest.get() / 1_000_000);
                } finally {
                    stop.set(true);
                    for (Thread t : threads) {
                        t.join();
                    }
                }
            }
        }
    }
}
