package dev.weft.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.weft.gateway.config.GatewayConfig;
import dev.weft.http.Server;
import dev.weft.testkit.Eventually;
import dev.weft.testkit.Services;
import dev.weft.testkit.TestRedis;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The rate limit through real gateways, locally and shared through the real Redis. */
class RateLimitTest {
    private Harness h;
    private String prefix;

    @BeforeAll
    static void redis() {
        Services.requireRedis();
    }

    @BeforeEach
    void setUp() {
        h = new Harness();
        prefix = "weft-gateway-test-" + UUID.randomUUID();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
        try (Jedis jedis = Services.redis().client()) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(prefix + ":*").count(100));
                for (String key : page.getResult()) {
                    jedis.del(key);
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }

    /** One rate-limited route to {@code upstream}; {@code redis} is the {@code rateLimit.redis} section, or null. */
    private GatewayConfig config(Server upstream, double rate, int burst, String redis) {
        return Harness.config("""
                routes: [{pattern: /, upstream: u, rateLimit: true}]
                upstreams: {u: {instances: [%s]}}
                rateLimit: {ratePerSecond: %s, burst: %d%s}
                """.formatted(Upstreams.hostPort(upstream), rate, burst, redis == null ? "" : ", redis: " + redis));
    }

    /**
     * The {@code rateLimit.redis} section for the real Redis, under this test's key prefix: after one failure Redis
     * is left alone for {@code breakerOpenFor}.
     */
    private String redis(String timeout, String breakerOpenFor) {
        return "{nodes: [%s], keyPrefix: %s, timeout: %s, breakerFailures: 1, breakerOpenFor: %s%s}".formatted(
                Services.redis().address(), prefix, timeout, breakerOpenFor, login());
    }

    /** The test Redis's user and password, when its coordinates have them, as more keys of a YAML map. */
    static String login() {
        TestRedis redis = Services.redis();
        return (redis.user().isEmpty() ? "" : ", user: \"" + redis.user() + "\"")
                + (redis.password().isEmpty() ? "" : ", password: \"" + redis.password() + "\"");
    }

    private Server upstream() throws Exception {
        return h.upstreams.weft((w, r) -> w.write("ok"));
    }

    @Test
    void answers429WithRetryAfterAndRateLimitHeaders() throws Exception {
        String base = h.start(config(upstream(), 1, 2, null));
        HttpResponse<String> first = h.get(base + "/");
        assertEquals(200, first.statusCode());
        assertEquals("2", first.headers().firstValue("RateLimit-Limit").orElseThrow());
        assertEquals("1", first.headers().firstValue("RateLimit-Remaining").orElseThrow());
        assertEquals(200, h.get(base + "/").statusCode());
        HttpResponse<String> limited = h.get(base + "/");
        assertEquals(429, limited.statusCode());
        assertEquals("1", limited.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("0", limited.headers().firstValue("RateLimit-Remaining").orElseThrow());
        assertEquals(1, h.counter("gateway.ratelimit.rejected", "route", "/"));
    }

    @Test
    void twoGatewaysSharingRedisAdmitTheConfiguredRate() throws Exception {
        Server upstream = upstream();
        double rate = 100;
        int burst = 300; // a deep bucket: clients stalled on a busy machine lose no refill to the cap for 3 s
        // a generous client timeout: this test is about accuracy, and the machine may be busy
        String redis = redis("3s", "1s");
        List<String> gateways = List.of(h.start(config(upstream, rate, burst, redis)),
                h.start(config(upstream, rate, burst, redis)));

        // clients on both gateways drain the shared bucket; from the first 429 on (the bucket is empty then) they
        // keep it empty, and over the next 3 s both gateways together must admit the rate and no more
        java.util.concurrent.ConcurrentLinkedQueue<Long> admittedAt = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicLong firstLimited = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        AtomicInteger limited = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        int clients = 6;
        CountDownLatch done = new CountDownLatch(clients);
        long window = Duration.ofSeconds(3).toNanos();
        long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        for (int c = 0; c < clients; c++) {
            String base = gateways.get(c % 2);
            Thread.startVirtualThread(() -> {
                try {
                    long now;
                    while ((now = System.nanoTime()) < end
                            && (firstLimited.get() == Long.MAX_VALUE || now - firstLimited.get() < window)) {
                        int status = h.get(base + "/").statusCode();
                        if (status == 200) {
                            admittedAt.add(System.nanoTime());
                        } else if (status == 429) {
                            long t = System.nanoTime();
                            firstLimited.accumulateAndGet(t, Math::min);
                            limited.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    other.incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        assertEquals(0, other.get(), "only 200 and 429");
        assertEquals(0, h.counter("gateway.ratelimit.fallback"), "Redis decided every request");
        long windowStart = firstLimited.get();
        assertTrue(windowStart + window <= end, "the burst of " + burst + " was drained in time");
        long beforeWindow = admittedAt.stream().filter(t -> t < windowStart).count();
        long inWindow = admittedAt.stream().filter(t -> t >= windowStart && t < windowStart + window).count();
        assertTrue(beforeWindow >= burst, "the burst went first: " + beforeWindow);
        assertTrue(limited.get() > inWindow, "the clients asked for more than the rate: " + limited);
        double expected = rate * 3;
        assertEquals(expected, inWindow, expected * 0.05,
                "both gateways together admit within 5% of the shared rate");
    }

    @Test
    void pausedRedisDegradesToTheLocalLimit() throws Exception {
        String redis = redis("250ms", "200ms");
        String base = h.start(config(upstream(), 1, 5, redis));
        assertEquals(200, h.get(base + "/").statusCode());

        int admitted = 0;
        int limited = 0;
        long pausedAt;
        try (Jedis admin = Services.redis().client()) {
            admin.clientPause(1500);
            pausedAt = System.nanoTime();
            while (System.nanoTime() - pausedAt < Duration.ofMillis(1200).toNanos()) {
                long t0 = System.nanoTime();
                int status = h.get(base + "/").statusCode();
                assertTrue((System.nanoTime() - t0) < Duration.ofMillis(1000).toNanos(),
                        "a paused Redis must not hold requests");
                if (status == 200) {
                    admitted++;
                } else {
                    assertEquals(429, status, "a Redis outage is never an error");
                    limited++;
                }
            }
        }
        assertTrue(h.counter("gateway.ratelimit.fallback") > 0, "decided locally while Redis was paused");
        assertTrue(admitted >= 1, "the local bucket admits: " + admitted);
        assertTrue(admitted <= 5 + 1.5 + 1, "but still limits (burst 5, 1 per second): " + admitted);
        assertTrue(limited > 0, "requests beyond the local limit got 429");

        Eventually.await(Duration.ofSeconds(10), "a request decided by Redis once the pause is over", () -> {
            double before = h.counter("gateway.ratelimit.fallback");
            h.get(base + "/");
            return h.counter("gateway.ratelimit.fallback") == before;
        });
        double fallbacks = h.counter("gateway.ratelimit.fallback");
        for (int i = 0; i < 3; i++) {
            h.get(base + "/");
        }
        assertEquals(fallbacks, h.counter("gateway.ratelimit.fallback"), "back on Redis after the pause");
    }
}
