package dev.weft.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.weft.http.ConfigException;

class GatewayConfigTest {
    @Test
    void readsEveryFieldFromATree() {
        Map<String, Object> tree = Map.of(
                "upstreams", Map.of(
                        "shop", Map.of("instances", List.of("10.0.0.5:8080", "10.0.0.6:8080"),
                                "balancer", "least-outstanding",
                                "healthCheck", Map.of("interval", "2s", "timeout", "300ms"),
                                "ejection", Map.of("consecutiveFailures", 5, "duration", "30s"),
                                "maxIdlePerInstance", "32"),
                        "search", Map.of("dns", Map.of("name", "search.default.svc", "port", 8080))),
                "routes", new java.util.LinkedHashMap<>(Map.of(
                        "api", Map.of("pattern", "/api/{rest...}", "upstream", "shop", "stripPrefix", "/api",
                                "authenticate", true, "rateLimit", "true", "connectTimeout", "250ms",
                                "responseHeaderTimeout", "3s", "totalTimeout", "1m", "retries", 2))),
                "auth", Map.of("apiKeys", Map.of("ci-bot", "0123456789abcdef0123")),
                "rateLimit", Map.of("key", "subject", "ratePerSecond", 50, "burst", 100,
                        "redis", Map.of("host", "127.0.0.1", "keyPrefix", "gw:")));
        @SuppressWarnings("unchecked")
        Map<String, Object> routes = (Map<String, Object>) tree.get("routes");
        routes.put("search", Map.of("pattern", "GET /search", "upstream", "search"));
        GatewayConfig c = GatewayConfig.fromTree(tree, "gateway");

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
        assertEquals(6379, c.rateLimit().redis().port());
        assertEquals("gw:", c.rateLimit().redis().keyPrefix());
    }

    @Test
    void listsEveryProblemWithItsPath() {
        Map<String, Object> tree = Map.of(
                "upstreams", Map.of("shop", Map.of("instances", List.of("nohost", "h:99999"), "balancer", "random")),
                "routes", Map.of(
                        "a", Map.of("pattern", "/a", "upstream", "nope", "totalTimeout", "soon", "authenticate", true),
                        "b", Map.of("upstream", "shop", "retries", -1)),
                "rateLimit", Map.of("ratePerSecond", 0, "key", "cookie"),
                "auth", Map.of("jwt", Map.of("hmacSecret", "short")));
        ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.fromTree(tree, "gateway"));
        List<String> p = e.problems();
        assertContains(p, "gateway.upstreams.shop.balancer: must be round-robin or least-outstanding, got 'random'");
        assertContains(p, "gateway.routes.a.totalTimeout: must be a duration such as 250ms, 5s, 2m or 1h, got 'soon'");
        assertContains(p, "gateway.rateLimit.key: must be ip, api-key or subject, got 'cookie'");
        assertContains(p, "gateway.routes.a.upstream: no upstream named 'nope' (known: shop)");
        assertContains(p, "gateway.routes.b.pattern: is required");
        assertContains(p, "gateway.routes.b.retries: must be 0 or more, got -1");
        assertContains(p, "gateway.upstreams.shop.instances[0]: must be host:port, got 'nohost'");
        assertContains(p, "gateway.upstreams.shop.instances[1]: must be a port from 1 to 65535, got 99999");
        assertContains(p, "gateway.rateLimit.ratePerSecond: must be positive, got 0.0");
        assertContains(p, "gateway.auth.jwt.hmacSecret: must be at least 32 bytes for HS256");
        assertEquals(10, p.size(), String.join("\n", p));
    }

    private static void assertContains(List<String> problems, String expected) {
        if (!problems.contains(expected)) {
            throw new AssertionError("missing problem: " + expected + "\nin:\n" + String.join("\n", problems));
        }
    }
}
