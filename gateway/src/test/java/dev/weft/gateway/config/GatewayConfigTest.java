package dev.weft.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.weft.http.config.ConfigFile;

class GatewayConfigTest {
    private static final String EVERY_FIELD = """
            gateway:
              upstreams:
                shop:
                  instances:
                    - 10.0.0.5:8080
                    - 10.0.0.6:8080
                  balancer: least-outstanding
                  healthCheck:
                    interval: 2s
                    timeout: 300ms
                  ejection:
                    consecutiveFailures: 5
                    duration: 30s
                  maxIdlePerInstance: 32
                search:
                  dns:
                    name: search.default.svc
                    port: 8080
              routes:
                api:
                  pattern: /api/{rest...}
                  upstream: shop
                  stripPrefix: /api
                  authenticate: true
                  rateLimit: true
                  connectTimeout: 250ms
                  responseHeaderTimeout: 3s
                  totalTimeout: 1m
                  retries: 2
                search:
                  pattern: GET /search
                  upstream: search
              auth:
                apiKeys:
                  ci-bot: 0123456789abcdef0123
              rateLimit:
                key: subject
                ratePerSecond: 50
                burst: 100
                redis:
                  host: 127.0.0.1
                  keyPrefix: "gw:"
            """;

    @Test
    void readsEveryFieldFromTheSection() {
        ConfigFile file = ConfigFile.parse(EVERY_FIELD, "g.yaml", Map.of());
        GatewayConfig c = GatewayConfig.from(file.section("gateway"));
        assertEquals(List.of(), file.problems());

        assertEquals("ci-bot", c.auth().apiKeys().get("0123456789abcdef0123"));
        RouteConfig api = c.routes().getFirst();
        assertEquals("/api", api.stripPrefix());
        assertEquals(Duration.ofMillis(250), api.connectTimeout());
        assertEquals(Duration.ofSeconds(3), api.responseHeaderTimeout());
        assertEquals(Duration.ofMinutes(1), api.totalTimeout());
        assertEquals(2, api.retries());
        assertEquals(true, api.authenticate());
        assertEquals(true, api.rateLimit());
        RouteConfig search = c.routes().get(1);
        assertEquals(RouteConfig.DEFAULT_RETRIES, search.retries());
        assertEquals(false, search.authenticate());

        UpstreamConfig shop = c.upstreams().get("shop");
        assertEquals(UpstreamConfig.Balancer.LEAST_OUTSTANDING, shop.balancer());
        assertEquals(true, shop.healthCheck().enabled());
        assertEquals("/health/ready", shop.healthCheck().path());
        assertEquals(Duration.ofSeconds(2), shop.healthCheck().interval());
        assertEquals(5, shop.ejection().consecutiveFailures());
        assertEquals(32, shop.maxIdlePerInstance());
        assertNull(shop.dns());
        assertEquals("search.default.svc", c.upstreams().get("search").dns().name());
        assertEquals(DnsConfig.DEFAULT_REFRESH, c.upstreams().get("search").dns().refresh());

        assertEquals(RateLimitConfig.KeySource.SUBJECT, c.rateLimit().key());
        assertEquals(50.0, c.rateLimit().ratePerSecond());
        assertEquals(6379, c.rateLimit().redis().port());
        assertEquals("gw:", c.rateLimit().redis().keyPrefix());
    }

    @Test
    void listsEveryProblemWithItsPath() {
        ConfigFile file = ConfigFile.parse("""
                gateway:
                  upstreams:
                    shop:
                      instances:
                        - nohost
                        - h:99999
                      balancer: random
                  routes:
                    a:
                      pattern: /a
                      upstream: nope
                      totalTimeout: soon
                      authenticate: true
                    b:
                      upstream: shop
                      retries: -1
                      timeout: 5s
                  rateLimit:
                    ratePerSecond: 0
                    key: cookie
                  auth:
                    jwt:
                      hmacSecret: short
                """, "g.yaml", Map.of());
        GatewayConfig.from(file.section("gateway"));
        List<String> p = file.problems();
        assertContains(p, "gateway.upstreams.shop.balancer: must be one of round-robin, least-outstanding,"
                + " was \"random\" (g.yaml:7)");
        assertContains(p, "gateway.routes.a.totalTimeout: not a duration: use a number and a unit (ns, us, ms, s, m,"
                + " h), like 500ms, 10s, 2m or 1h30m, was \"soon\" (g.yaml:12)");
        assertContains(p, "gateway.routes.b.timeout: unknown setting (g.yaml:17); known settings: pattern, upstream,"
                + " stripPrefix, connectTimeout, responseHeaderTimeout, totalTimeout, retries, authenticate,"
                + " rateLimit");
        assertContains(p, "gateway.rateLimit.key: must be one of ip, api-key, subject, was \"cookie\" (g.yaml:20)");
        assertContains(p, "gateway.routes.a.upstream: no upstream named 'nope' (known: shop) (g.yaml:11)");
        assertContains(p, "gateway.routes.b.pattern: is required");
        assertContains(p, "gateway.routes.b.retries: must be 0 or more, got -1 (g.yaml:16)");
        assertContains(p, "gateway.upstreams.shop.instances[0]: must be host:port, got 'nohost'");
        assertContains(p, "gateway.upstreams.shop.instances[1]: must be a port from 1 to 65535, got 99999");
        assertContains(p, "gateway.rateLimit.ratePerSecond: must be positive, got 0.0 (g.yaml:19)");
        assertContains(p, "gateway.auth.jwt.hmacSecret: must be at least 32 bytes for HS256 (g.yaml:23)");
        assertEquals(11, p.size(), String.join("\n", p));
    }

    @Test
    void environmentVariablesOverrideTheSectionAndTheirProblemsNameThePath() {
        ConfigFile file = ConfigFile.parse(EVERY_FIELD, "g.yaml", Map.of(
                "WEFT_GATEWAY_ROUTES_API_TOTAL_TIMEOUT", "90s",
                "WEFT_GATEWAY_RATE_LIMIT_RATE_PER_SECOND", "2.5",
                "WEFT_GATEWAY_UPSTREAMS_SHOP_INSTANCES", "10.0.0.7:8080, 10.0.0.8:8080",
                "WEFT_GATEWAY_AUTH_API_KEYS_CI_BOT", "fedcba9876543210fedcba"));
        GatewayConfig c = GatewayConfig.from(file.section("gateway"));
        assertEquals(List.of(), file.problems());
        assertEquals(Duration.ofSeconds(90), c.routes().getFirst().totalTimeout());
        assertEquals(Duration.ofSeconds(3), c.routes().getFirst().responseHeaderTimeout());
        assertEquals(2.5, c.rateLimit().ratePerSecond());
        assertEquals(100, c.rateLimit().burst());
        assertEquals(List.of("10.0.0.7:8080", "10.0.0.8:8080"), c.upstreams().get("shop").instances());
        assertEquals(Map.of("fedcba9876543210fedcba", "ci-bot"), c.auth().apiKeys());

        ConfigFile bad = ConfigFile.parse(EVERY_FIELD, "g.yaml", Map.of(
                "WEFT_GATEWAY_ROUTES_API_TOTAL_TIMEOUT", "forever",
                "WEFT_GATEWAY_RATE_LIMIT_RATE_PER_SECOND", "fast",
                "WEFT_GATEWAY_ROUTES_API_RETRIES", "-1",
                "WEFT_GATEWAY_ROUTES_API_TIMEOUT", "5s"));
        GatewayConfig.from(bad.section("gateway"));
        assertEquals(List.of(
                "gateway.routes.api.totalTimeout: not a duration: use a number and a unit (ns, us, ms, s, m, h),"
                        + " like 500ms, 10s, 2m or 1h30m, was \"forever\" (from WEFT_GATEWAY_ROUTES_API_TOTAL_TIMEOUT)",
                "WEFT_GATEWAY_ROUTES_API_TIMEOUT: environment variable for an unknown setting under gateway.routes.api;"
                        + " known settings: pattern, upstream, stripPrefix, connectTimeout, responseHeaderTimeout,"
                        + " totalTimeout, retries, authenticate, rateLimit",
                "gateway.rateLimit.ratePerSecond: must be a decimal number, was \"fast\""
                        + " (from WEFT_GATEWAY_RATE_LIMIT_RATE_PER_SECOND)",
                "gateway.routes.api.retries: must be 0 or more, got -1 (from WEFT_GATEWAY_ROUTES_API_RETRIES)"),
                bad.problems());
    }

    private static void assertContains(List<String> problems, String expected) {
        if (!problems.contains(expected)) {
            throw new AssertionError("missing problem: " + expected + "\nin:\n" + String.join("\n", problems));
        }
    }
}
