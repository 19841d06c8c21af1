package dev.weft.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.weft.config.ConfigException;
import dev.weft.config.ConfigTree;
import dev.weft.gateway.config.GatewayConfig;
import dev.weft.http.Server;
import dev.weft.service.RunningService;
import dev.weft.service.Service;
import dev.weft.service.Weft;
import dev.weft.testkit.Eventually;
import dev.weft.testkit.Services;

/**
 * The gateway as a module of the service skeleton: a service with {@code weft-gateway} on its class path and a
 * {@code gateway:} section serves the gateway's routes beside its own, with the gateway's meters in
 * {@code /metrics} and its checks in {@code /health/ready}.
 */
class GatewayModuleTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Upstreams upstreams = new Upstreams();
    private final List<RunningService> services = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (RunningService s : services) {
            s.shutdown(Duration.ofMillis(200));
        }
        upstreams.close();
    }

    /** A service with one route of its own, {@code GET /own}, on {@code yaml} (port 0), started. */
    private RunningService start(String yaml) throws Exception {
        ConfigTree config = ConfigTree.of(Map.of("server", Map.of("host", "127.0.0.1", "port", 0)))
                .over(ConfigTree.parse("service.yaml", yaml));
        Service own = (modules, mux) -> mux.handle("GET /own", (w, r) -> w.write("own route"));
        RunningService s = Weft.start("svc", config, tree -> own);
        services.add(s);
        s.started().get(60, TimeUnit.SECONDS);
        return s;
    }

    private static HttpResponse<String> get(RunningService s, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.address().getPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code path} until the response satisfies {@code until}, for at most 20 s; returns that response. */
    private static HttpResponse<String> await(RunningService s, String path, Predicate<HttpResponse<String>> until) {
        return Eventually.until(Duration.ofSeconds(20), "GET " + path + " satisfies the condition", () -> get(s, path),
                until, last -> last.statusCode() + " " + last.body());
    }

    @Test
    void theSectionMountsTheRoutesBesideTheServicesOwnWithMetricsAndReadiness() throws Exception {
        Server upstream = upstreams.weft((w, r) -> w.write("upstream saw " + r.target()));
        RunningService s = start("""
                gateway:
                  routes:
                    - pattern: /api/
                      upstream: shop
                      stripPrefix: /api
                  upstreams:
                    shop: {instances: [%s]}
                """.formatted(Upstreams.hostPort(upstream)));

        assertEquals("upstream saw /products?id=3", get(s, "/api/products?id=3").body());
        assertEquals("own route", get(s, "/own").body());
        assertTrue(s.modules().has(Gateway.class), "the gateway is a module the service can ask for");
        assertEquals(1, s.modules().get(Gateway.class).instances().size());

        String metrics = get(s, "/metrics").body();
        assertTrue(metrics.contains("gateway_requests_seconds_count{route=\"/api/\",status=\"200\",upstream=\"shop\"} 1"),
                metrics);
        HttpResponse<String> ready = get(s, "/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"upstream shop\":{\"status\":\"UP\""), ready.body());
        assertFalse(ready.body().contains("redis"), "no Redis check without rateLimit.redis: " + ready.body());
    }

    @Test
    void withoutTheSectionTheGatewayIsOff() throws Exception {
        RunningService s = start("server: {accessLog: false}\n");
        assertFalse(s.modules().has(Gateway.class));
        assertEquals(404, get(s, "/api/x").statusCode());
        assertFalse(get(s, "/metrics").body().contains("gateway_"));
    }

    @Test
    void problemsOfTheSectionStopTheServiceBeforeItBinds() {
        ConfigException e = assertThrows(ConfigException.class, () -> start("""
                gateway:
                  routes:
                    - pattern: /api/
                      upstream: shpo
                  upstreams:
                    shop: {instances: [127.0.0.1:1], balancer: random}
                """));
        assertEquals(List.of(
                "gateway.upstreams.shop.balancer: must be one of round-robin, least-outstanding, was \"random\""
                        + " (service.yaml:6:38)",
                "gateway.routes[0].upstream: must name one of the upstreams (shop), was \"shpo\" (service.yaml:4:7)"),
                e.problems());
    }

    @Test
    void readinessIsDownWhileNoInstanceOfAGroupIsLiveAndUpWhenOneReturns() throws Exception {
        Server a = upstreams.weft((w, r) -> w.write("a"));
        Server b = upstreams.weft((w, r) -> w.write("b"));
        int portA = a.address().getPort();
        RunningService s = start("""
                gateway:
                  routes:
                    - {pattern: /api/, upstream: shop}
                  upstreams:
                    shop:
                      instances: [%s, %s]
                      healthCheck: {interval: 100ms, timeout: 500ms}
                """.formatted(Upstreams.hostPort(a), Upstreams.hostPort(b)));
        await(s, "/health/ready", r -> r.statusCode() == 200);

        a.shutdown(Duration.ZERO);
        HttpResponse<String> one = get(s, "/health/ready");
        assertEquals(200, one.statusCode(), "one live instance is enough: " + one.body());
        b.shutdown(Duration.ZERO);
        HttpResponse<String> down = await(s, "/health/ready", r -> r.statusCode() == 503);
        assertTrue(down.body().contains("upstream shop: no live instance of 2"), down.body());

        upstreams.weft((w, r) -> w.write("a again"), portA);
        await(s, "/health/ready", r -> r.statusCode() == 200);
        assertEquals("a again", get(s, "/api/").body());
    }

    @Test
    void readinessChecksTheRateLimitsRedis() throws Exception {
        Services.requireRedis();
        Server upstream = upstreams.weft((w, r) -> w.write("ok"));
        String yaml = """
                gateway:
                  routes:
                    - {pattern: /api/, upstream: shop, rateLimit: true}
                  upstreams:
                    shop: {instances: [%s]}
                  rateLimit:
                    redis: {nodes: [%s], keyPrefix: weft-gateway-test-module%s}
                """;
        RunningService up = start(yaml.formatted(Upstreams.hostPort(upstream),
                Services.redis().address(), RateLimitTest.login()));
        HttpResponse<String> ready = get(up, "/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"rate-limit redis\":{\"status\":\"UP\""), ready.body());

        String closed = Upstreams.closedPort();
        RunningService down = start(yaml.formatted(Upstreams.hostPort(upstream), closed, RateLimitTest.login()));
        HttpResponse<String> notReady = get(down, "/health/ready");
        assertEquals(503, notReady.statusCode(), notReady.body());
        assertTrue(notReady.body().contains("rate-limit redis " + closed + ": "), notReady.body());
        assertEquals("ok", get(down, "/api/").body(), "the rate limit falls back to the local bucket meanwhile");
    }

    @Test
    void theJvmDnsCacheLivesNoLongerThanTheShortestRefresh() {
        String before = Security.getProperty("networkaddress.cache.ttl");
        try {
            GatewayConfig twoDnsGroups = ConfigTree.parse("gateway.yaml", """
                    routes:
                      - {pattern: /a/, upstream: a}
                      - {pattern: /b/, upstream: b}
                    upstreams:
                      a: {dns: {name: a.example, port: 80, refresh: 7s}}
                      b: {dns: {name: b.example, port: 80, refresh: 3s}}
                    """).read(GatewayConfig::from);
            Security.setProperty("networkaddress.cache.ttl", "-1");
            GatewayModule.capDnsCache(twoDnsGroups);
            assertEquals("3", Security.getProperty("networkaddress.cache.ttl"), "forever is capped");
            Security.setProperty("networkaddress.cache.ttl", "1");
            GatewayModule.capDnsCache(twoDnsGroups);
            assertEquals("1", Security.getProperty("networkaddress.cache.ttl"), "a shorter TTL is kept");
        } finally {
            Security.setProperty("networkaddress.cache.ttl", before == null ? "30" : before);
        }
    }
}
