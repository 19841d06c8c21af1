package dev.weft.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
        AtomicLong now = new AtomicLong(); // stands still: no refill between the requests, however slow they are
        String base = h.start(config(upstream(), 1, 2, null), now::get);
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
        // keep it empty until the 429s span 2 s (from the first one's answer to the latest one's send: counted in
        // 429s seen, not in time, since a starved machine may hold the clients back for seconds). Redis decides each request at some instant between its send and its answer,
        // and the bucket held less than a token at the first 429 decided (r1) and at the last (r2); in between it
        // refilled rate x (r2 - r1) tokens and every one was taken (it was never full, so none was lost to the cap).
        // Bounding r1 and r2 by the 429s' send and answer times, and counting the admissions that were surely
        // inside (or possibly inside) [r1, r2], gives bounds that hold however the machine schedules the clients:
        //   admitted surely inside   <= rate x (last 429 answer - first 429 send) + 1
        //   admitted possibly inside >= rate x (last 429 send - first 429 answer) - 1
        // The upper bound is what two gateways sharing one bucket must keep: each on its own would admit twice.
        record Exchange(long sent, long answered, int status) {}
        java.util.Queue<Exchange> exchanges = new java.util.concurrent.ConcurrentLinkedQueue<>();
        AtomicLong firstLimited = new AtomicLong(Long.MAX_VALUE);
        AtomicLong latestLimitedSent = new AtomicLong(Long.MIN_VALUE);
        AtomicInteger other = new AtomicInteger();
        int clients = 6;
        CountDownLatch done = new CountDownLatch(clients);
        long span = Duration.ofSeconds(2).toNanos();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int c = 0; c < clients; c++) {
            String base = gateways.get(c % 2);
            Thread.startVirtualThread(() -> {
                try {
                    long sent;
                    while ((sent = System.nanoTime()) < end && (firstLimited.get() == Long.MAX_VALUE
                            || latestLimitedSent.get() - firstLimited.get() < span)) {
                        int status = h.get(base + "/").statusCode();
                        long answered = System.nanoTime();
                        exchanges.add(new Exchange(sent, answered, status));
                        if (status == 429) {
                            firstLimited.accumulateAndGet(answered, Math::min);
                            latestLimitedSent.accumulateAndGet(sent, Math::max);
                        } else if (status != 200) {
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
        List<Exchange> limited = exchanges.stream().filter(e -> e.status() == 429).toList();
        List<Exchange> admitted = exchanges.stream().filter(e -> e.status() == 200).toList();
        assertTrue(!limited.isEmpty(), "the burst of " + burst + " was drained in time");
        long firstLimitedSent = limited.stream().mapToLong(Exchange::sent).min().orElseThrow();
        long firstLimitedAnswered = limited.stream().mapToLong(Exchange::answered).min().orElseThrow();
        long lastLimitedSent = limited.stream().mapToLong(Exchange::sent).max().orElseThrow();
        long lastLimitedAnswered = limited.stream().mapToLong(Exchange::answered).max().orElseThrow();
        long surelyInside = admitted.stream()
                .filter(e -> e.sent() >= firstLimitedAnswered && e.answered() <= lastLimitedSent).count();
        long possiblyInside = admitted.stream()
                .filter(e -> e.answered() >= firstLimitedSent && e.sent() <= lastLimitedAnswered).count();
        double most = rate * (lastLimitedAnswered - firstLimitedSent) / 1e9 + 1;
        double least = rate * (lastLimitedSent - firstLimitedAnswered) / 1e9 - 1;
        String figures = "admitted " + admitted.size() + " (" + surelyInside + " surely, " + possiblyInside
                + " possibly while the bucket was empty), limited " + limited.size() + ", bounds ["
                + Math.round(least) + ", " + Math.round(most) + "]";
        assertTrue(least >= rate, "the clients kept the bucket empty for over a second: " + figures);
        assertTrue(admitted.size() >= burst, "the burst went first: " + figures);
        assertTrue(surelyInside <= most, "both gateways together admit no more than the shared rate: " + figures);
        assertTrue(possiblyInside >= least, "and no less: " + figures);
    }

    @Test
    void pausedRedisDegradesToTheLocalLimit() throws Exception {
        String redis = redis("250ms", "200ms");
        String base = h.start(config(upstream(), 1, 5, redis));
        assertEquals(200, h.get(base + "/").statusCode());

        int admitted = 0;
        int limited = 0;
        long pausedAt;
        double pausedSeconds;
        double fallbacksBefore = h.counter("gateway.ratelimit.fallback");
        try (Jedis admin = Services.redis().client()) {
            // paused for well over the loop below (the Redis is shared, so not for long): a request held until the
            // pause ended would be decided by Redis, so "every request was decided locally" says that none waited,
            // with no bound on how long a busy machine took to serve it
            admin.clientPause(5000);
            pausedAt = System.nanoTime();
            // until the local bucket says no, within the pause
            while (limited == 0 && System.nanoTime() - pausedAt < Duration.ofMillis(3500).toNanos()) {
                int status = h.get(base + "/").statusCode();
                if (status == 200) {
                    admitted++;
                } else {
                    assertEquals(429, status, "a Redis outage is never an error");
                    limited++;
                }
            }
            pausedSeconds = (System.nanoTime() - pausedAt) / 1e9;
        }
        assertEquals(admitted + limited, h.counter("gateway.ratelimit.fallback") - fallbacksBefore,
                "a paused Redis holds no request: every one was decided locally");
        assertTrue(h.counter("gateway.ratelimit.fallback") > 0, "decided locally while Redis was paused");
        assertTrue(admitted >= 1, "the local bucket admits: " + admitted);
        // the local bucket (burst 5, 1 per second) bounds what the measured time can have refilled
        assertTrue(admitted <= 5 + pausedSeconds, "but still limits (burst 5, 1 per second, "
                + pausedSeconds + " s): " + admitted);
        assertTrue(limited > 0, "requests beyond the local limit got 429");

        Eventually.await(Duration.ofSeconds(20), "a request decided by Redis once the pause is over", () -> {
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
