package dev.weft.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.weft.cache.redis.RedisConfig;
import dev.weft.config.ConfigException;
import dev.weft.config.ConfigTree;
import dev.weft.config.Problems;
import dev.weft.gateway.Gateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class GatewayConfigTest {
    private static final String EVERY_FIELD = """
            gateway:
              routes:
                - pattern: /api/{rest...}
                  upstream: shop
                  stripPrefix: /api
                  authenticate: true
                  rateLimit: true
                  connectTimeout: 250ms
                  responseHeaderTimeout: 3s
                  totalTimeout: 1m
                  retries: 2
                - pattern: GET /search
                  upstream: search
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
                  idleTimeout: 20s
                search:
                  dns: {name: search.default.svc, port: 8080}
              auth:
                apiKeyHeader: X-Key
                subjectHeader: X-Subject
                apiKeys:
                  ci-bot: 0123456789abcdef0123
                jwt:
                  hmacSecret: 0123456789abcdef0123456789abcdef
                  issuer: https://id.example.com
                  audience: shop
                  clockSkew: 10s
              rateLimit:
                key: subject
                ratePerSecond: 50
                burst: 100
                failedAuth: {ratePerSecond: 0.5, burst: 5}
                redis:
                  mode: sentinel
                  nodes: [10.0.0.11:26379, 10.0.0.12:26379, 10.0.0.13:26379]
                  masterName: shop-redis
                  user: gateway
                  password: secret
                  database: 1
                  keyPrefix: gw
                  timeout: 20ms
                  poolSize: 8
                  breakerFailures: 2
                  breakerOpenFor: 2s
                  heartbeat: 500ms
            """;

    /** Reads the gateway section of {@code tree}; returns every problem, unknown settings included. */
    private static List<String> problems(ConfigTree tree) {
        return assertThrows(ConfigException.class, () -> read(tree)).problems();
    }

    private static GatewayConfig read(ConfigTree tree) {
        return tree.read("gateway", GatewayConfig::from);
    }

    @Test
    void readsEveryFieldFromTheSection() {
        GatewayConfig c = read(ConfigTree.parse("g.yaml", EVERY_FIELD));

        assertEquals(Map.of("ci-bot", "0123456789abcdef0123"), c.auth().apiKeys());
        assertEquals("X-Key", c.auth().apiKeyHeader());
        assertEquals("X-Subject", c.auth().subjectHeader());
        assertEquals("https://id.example.com", c.auth().jwt().issuer());
        assertEquals("shop", c.auth().jwt().audience());
        assertEquals(Duration.ofSeconds(10), c.auth().jwt().clockSkew());
        assertEquals(2, c.routes().size());
        RouteConfig api = c.routes().getFirst();
        assertEquals("/api/{rest...}", api.pattern());
        assertEquals("shop", api.upstream());
        assertEquals("/api", api.stripPrefix());
        assertEquals(Duration.ofMillis(250), api.connectTimeout());
        assertEquals(Duration.ofSeconds(3), api.responseHeaderTimeout());
        assertEquals(Duration.ofMinutes(1), api.totalTimeout());
        assertEquals(2, api.retries());
        assertEquals(true, api.authenticate());
        assertEquals(true, api.rateLimit());
        RouteConfig search = c.routes().get(1);
        assertEquals(RouteConfig.defaults().retries(), search.retries());
        assertEquals(false, search.authenticate());
        assertEquals("", search.stripPrefix());

        UpstreamConfig shop = c.upstreams().get("shop");
        assertEquals(List.of("10.0.0.5:8080", "10.0.0.6:8080"), shop.instances());
        assertEquals(UpstreamConfig.Balancer.LEAST_OUTSTANDING, shop.balancer());
        assertEquals(true, shop.healthCheck().enabled(), "a healthCheck section turns the checks on");
        assertEquals("/health/ready", shop.healthCheck().path());
        assertEquals(Duration.ofSeconds(2), shop.healthCheck().interval());
        assertEquals(Duration.ofMillis(300), shop.healthCheck().timeout());
        assertEquals(new EjectionConfig(5, Duration.ofSeconds(30)), shop.ejection());
        assertEquals(32, shop.maxIdlePerInstance());
        assertEquals(Duration.ofSeconds(20), shop.idleTimeout());
        assertNull(shop.dns());
        UpstreamConfig s = c.upstreams().get("search");
        assertEquals(new DnsConfig("search.default.svc", 8080, DnsConfig.defaults().refresh()), s.dns());
        assertEquals(List.of(), s.instances());
        assertFalse(s.healthCheck().enabled(), "no healthCheck section, no active checks");
        assertEquals(EjectionConfig.defaults(), s.ejection());

        assertEquals(RateLimitConfig.KeySource.SUBJECT, c.rateLimit().key());
        assertEquals(50.0, c.rateLimit().ratePerSecond());
        assertEquals(100, c.rateLimit().burst());
        assertEquals(new FailedAuthConfig(0.5, 5), c.rateLimit().failedAuth());
        assertEquals(new RedisConfig(RedisConfig.Mode.SENTINEL,
                List.of("10.0.0.11:26379", "10.0.0.12:26379", "10.0.0.13:26379"), "shop-redis", "gateway", "secret", 1,
                "gw", Duration.ofMillis(20), 8, 2, Duration.ofSeconds(2), Duration.ofMillis(500)),
                c.rateLimit().redis(), "the cache module's Redis section, read by its own code");
    }

    @Test
    void absentSectionsKeepTheirDefaults() {
        GatewayConfig c = read(ConfigTree.parse("g.yaml", """
                gateway:
                  routes:
                    - {pattern: /, upstream: u}
                  upstreams:
                    u: {instances: [127.0.0.1:9000]}
                """));
        RouteConfig d = RouteConfig.defaults();
        assertEquals(new RouteConfig("/", "u", d.stripPrefix(), d.connectTimeout(), d.responseHeaderTimeout(),
                d.totalTimeout(), d.retries(), d.authenticate(), d.rateLimit()), c.routes().getFirst());
        UpstreamConfig u = UpstreamConfig.defaults();
        assertEquals(new UpstreamConfig(u.balancer(), List.of("127.0.0.1:9000"), null, u.healthCheck(), u.ejection(),
                u.maxIdlePerInstance(), u.idleTimeout()), c.upstreams().get("u"));
        assertEquals(AuthConfig.defaults(), c.auth());
        assertEquals(RateLimitConfig.defaults(), c.rateLimit());
        assertNull(c.rateLimit().redis(), "no redis section: in-process buckets");
        assertFalse(c.auth().anyCredential());
    }

    @Test
    void anEmptySectionTurnsItsFeatureOnWithEveryDefault() {
        GatewayConfig c = read(ConfigTree.parse("g.yaml", """
                gateway:
                  routes: [{pattern: /, upstream: u}]
                  upstreams:
                    u:
                      instances: [127.0.0.1:9000]
                      healthCheck: {}
                    v:
                      instances: [127.0.0.1:9001]
                      healthCheck: {enabled: false, interval: 1s}
                  rateLimit:
                    redis: {}
                """));
        HealthCheckConfig d = HealthCheckConfig.defaults();
        assertEquals(new HealthCheckConfig(true, d.path(), d.interval(), d.timeout()),
                c.upstreams().get("u").healthCheck());
        assertEquals(new HealthCheckConfig(false, d.path(), Duration.ofSeconds(1), d.timeout()),
                c.upstreams().get("v").healthCheck());
        assertEquals(RedisConfig.defaults(), c.rateLimit().redis());
    }

    @Test
    void listsEveryProblemAtOnceWithItsPathAndOrigin() {
        List<String> p = problems(ConfigTree.parse("g.yaml", """
                gateway:
                  upstreams:
                    shop:
                      instances:
                        - nohost
                        - h:99999
                      balancer: random
                      idleTimeout: 0s
                    search:
                      dns: {port: 70000}
                  routes:
                    - pattern: /a
                      upstream: nope
                      totalTimeout: soon
                      authenticate: true
                    - upstream: shop
                      retries: -1
                      stripPrefix: api
                    - pattern: /a/{x
                      upstream: shop
                    - pattern: /a
                      upstream: shop
                  rateLimit:
                    ratePerSecond: 0
                    key: cookie
                    burst: 0
                    redis: {nodes: [a:1, b:2], timeout: 0s}
                  auth:
                    apiKeys: {ci-bot: short, ops: short}
                    jwt:
                      hmacSecret: short
                      jwksUrl: ftp://keys.example.com/jwks.json
                      jwksFile: /no/such/jwks.json
                """));
        assertEquals(List.of(
                "gateway.routes[0].totalTimeout: not a duration: use a number and a unit (ns, us, ms, s, m, h),"
                        + " like 500ms, 10s, 2m or 1h30m, was \"soon\" (g.yaml:14:7)",
                "gateway.routes[1].pattern: must be set",
                "gateway.routes[1].stripPrefix: must be empty or a path starting with '/', was \"api\" (g.yaml:18:7)",
                "gateway.routes[1].retries: must not be negative, was -1 (g.yaml:17:7)",
                "gateway.routes[2].pattern: must be a ServeMux pattern ([METHOD ][HOST]/PATH), was \"/a/{x\":"
                        + " at offset 3: bad wildcard segment (must end with '}') (g.yaml:19:7)",
                "gateway.upstreams.shop.balancer: must be one of round-robin, least-outstanding, was \"random\""
                        + " (g.yaml:7:7)",
                "gateway.upstreams.shop.instances: must be a list of host:port with ports from 1 to 65535, was"
                        + " \"nohost\" at index 0 (g.yaml:4:7)",
                "gateway.upstreams.shop.instances: must be a list of host:port with ports from 1 to 65535, was"
                        + " \"h:99999\" at index 1 (g.yaml:4:7)",
                "gateway.upstreams.shop.idleTimeout: must be positive, was 0s (g.yaml:8:7)",
                "gateway.upstreams.search.dns.name: must be set",
                "gateway.upstreams.search.dns.port: must be between 1 and 65535, was 70000 (g.yaml:10:13)",
                "gateway.auth.jwt.hmacSecret: must be at least 32 bytes for HS256, was 5 bytes (g.yaml:31:7)",
                "gateway.auth.jwt.jwksFile: must name a readable file, was /no/such/jwks.json (missing or not"
                        + " readable) (g.yaml:33:7)",
                "gateway.auth.jwt.jwksUrl: must be an http or https URL, was \"ftp://keys.example.com/jwks.json\""
                        + " (g.yaml:32:7)",
                "gateway.auth.apiKeys.ci-bot: must be at least 16 characters, was 5 (g.yaml:29:15)",
                "gateway.auth.apiKeys.ops: must be at least 16 characters, was 5 (g.yaml:29:30)",
                "gateway.auth.apiKeys.ops: must be a key of its own, was the key of ci-bot (g.yaml:29:30)",
                "gateway.rateLimit.key: must be one of ip, api-key, subject, was \"cookie\" (g.yaml:25:5)",
                "gateway.rateLimit.ratePerSecond: must be positive, was 0 (g.yaml:24:5)",
                "gateway.rateLimit.burst: must be at least 1, was 0 (g.yaml:26:5)",
                "gateway.rateLimit.redis.nodes: must be one address in standalone mode, was [a:1, b:2]"
                        + " (g.yaml:27:13)",
                "gateway.rateLimit.redis.timeout: must be between 1ms and 1m, was 0s (g.yaml:27:32)",
                "gateway.routes[0].upstream: must name one of the upstreams (shop, search), was \"nope\""
                        + " (g.yaml:13:7)",
                "gateway.routes[3].pattern: must not conflict with gateway.routes[0].pattern (\"/a\": both match"
                        + " some requests and neither is more specific), was \"/a\" (g.yaml:21:7)"), p);
    }

    @Test
    void environmentVariablesAndPropertiesOverrideSettingsAndTheirProblemsNameThem() {
        GatewayConfig c = read(ConfigTree.parse("g.yaml", EVERY_FIELD).withOverrides(Map.of(
                "WEFT_GATEWAY_ROUTES_0_TOTAL_TIMEOUT", "90s",
                "WEFT_GATEWAY_ROUTES_1_RETRIES", "3",
                "WEFT_GATEWAY_RATE_LIMIT_RATE_PER_SECOND", "2.5",
                "WEFT_GATEWAY_UPSTREAMS_SHOP_INSTANCES", "10.0.0.7:8080, 10.0.0.8:8080",
                "WEFT_GATEWAY_UPSTREAMS_SEARCH_HEALTH_CHECK_ENABLED", "true",
                "WEFT_GATEWAY_AUTH_API_KEYS_CI_BOT", "fedcba9876543210fedcba"),
                Map.of("weft.gateway.routes[1].pattern", "GET /find",
                        "weft.gateway.rateLimit.redis.nodes", "10.0.0.9:6379")));
        assertEquals(Duration.ofSeconds(90), c.routes().getFirst().totalTimeout());
        assertEquals(Duration.ofSeconds(3), c.routes().getFirst().responseHeaderTimeout());
        assertEquals(3, c.routes().get(1).retries());
        assertEquals("GET /find", c.routes().get(1).pattern());
        assertEquals(2.5, c.rateLimit().ratePerSecond());
        assertEquals(100, c.rateLimit().burst());
        assertEquals(List.of("10.0.0.7:8080", "10.0.0.8:8080"), c.upstreams().get("shop").instances());
        assertTrue(c.upstreams().get("search").healthCheck().enabled(), "a variable alone can turn the checks on");
        assertEquals(Map.of("ci-bot", "fedcba9876543210fedcba"), c.auth().apiKeys());
        assertEquals(List.of("10.0.0.9:6379"), c.rateLimit().redis().nodes());

        List<String> p = problems(ConfigTree.parse("g.yaml", EVERY_FIELD).withOverrides(Map.of(
                "WEFT_GATEWAY_ROUTES_0_TOTAL_TIMEOUT", "forever",
                "WEFT_GATEWAY_RATE_LIMIT_RATE_PER_SECOND", "fast",
                "WEFT_GATEWAY_ROUTES_0_RETRIES", "-1",
                "WEFT_GATEWAY_ROUTES_0_TIMEOUT", "5s",
                "WEFT_GATEWAY_ROUTES_5_RETRIES", "1"),
                Map.of("weft.gateway.upstreams.shop.balancer", "random")));
        assertEquals(List.of(
                "gateway.routes[0].totalTimeout: not a duration: use a number and a unit (ns, us, ms, s, m, h),"
                        + " like 500ms, 10s, 2m or 1h30m, was \"forever\" (from WEFT_GATEWAY_ROUTES_0_TOTAL_TIMEOUT)",
                "gateway.routes[0].retries: must not be negative, was -1 (from WEFT_GATEWAY_ROUTES_0_RETRIES)",
                "gateway.upstreams.shop.balancer: must be one of round-robin, least-outstanding, was \"random\""
                        + " (from -Dweft.gateway.upstreams.shop.balancer)",
                "gateway.rateLimit.ratePerSecond: must be a decimal number, was \"fast\""
                        + " (from WEFT_GATEWAY_RATE_LIMIT_RATE_PER_SECOND)",
                "WEFT_GATEWAY_ROUTES_0_TIMEOUT: environment variable for no setting under gateway.routes[0];"
                        + " known settings: pattern, upstream, stripPrefix, connectTimeout, responseHeaderTimeout,"
                        + " totalTimeout, retries, authenticate, rateLimit",
                "WEFT_GATEWAY_ROUTES_5_RETRIES: environment variable for no setting under gateway.routes;"
                        + " known sections: [0], [1]"), p);
    }

    @Test
    void theOldMapFormOfRoutesSaysHowToRewriteIt() {
        List<String> one = problems(ConfigTree.parse("g.yaml", """
                gateway:
                  upstreams: {shop: {instances: [127.0.0.1:9000]}}
                  routes:
                    api:
                      pattern: /api/
                      upstream: shop
                """));
        assertEquals(List.of("gateway.routes: must be a list of routes, was a mapping: write each route as a list"
                + " item, '- pattern: ...' (the name 'api' is no longer needed) (g.yaml:3:3)"), one,
                "one problem, not one per old route or key");

        List<String> two = problems(ConfigTree.parse("g.yaml", """
                gateway:
                  upstreams: {shop: {instances: [127.0.0.1:9000]}}
                  routes:
                    api: {pattern: /api/, upstream: shop}
                    search: {pattern: /search, upstream: shop}
                """));
        assertEquals(List.of("gateway.routes: must be a list of routes, was a mapping: write each route as a list"
                + " item, '- pattern: ...' (the names 'api', 'search' are no longer needed) (g.yaml:3:3)"), two);
    }

    @Test
    void routesMustBeGivenAndEachItemMustBeAMapping() {
        assertEquals(List.of("gateway.routes: must list at least one route"), problems(ConfigTree.parse("g.yaml", """
                gateway:
                  upstreams: {shop: {instances: [127.0.0.1:9000]}}
                """)));
        assertEquals(List.of(
                "gateway.routes[0]: must be a mapping of settings, was \"/b\" (g.yaml:4:7)",
                "gateway.routes[1].upstream: must name one of the upstreams (shop), was \"shpo\" (g.yaml:5:21)"),
                problems(ConfigTree.parse("g.yaml", """
                        gateway:
                          upstreams: {shop: {instances: [127.0.0.1:9000]}}
                          routes:
                            - /b
                            - {pattern: /a, upstream: shpo}
                        """)), "a route keeps its index in the file when an item before it is no route");
    }

    @Test
    void unknownKeysAreReportedAtEveryDepth() {
        List<String> p = problems(ConfigTree.parse("g.yaml", """
                gateway:
                  route: []
                  routes:
                    - pattern: /a
                      upstream: shop
                      timeout: 5s
                  upstreams:
                    shop:
                      instances: [127.0.0.1:9000]
                      healthCheck: {intervall: 5s}
                      dns-name: shop.local
                  auth:
                    apiKeys: {ci-bot: 0123456789abcdef0123}
                    jwt: {hmacSecret: 0123456789abcdef0123456789abcdef, issuer: x, aud: shop}
                  rateLimit:
                    redis: {host: 127.0.0.1}
                """));
        assertEquals(List.of(
                "gateway.route: unknown setting (g.yaml:2:3); known sections: routes, upstreams, auth, rateLimit",
                "gateway.routes[0].timeout: unknown setting (g.yaml:6:7); known settings: pattern, upstream,"
                        + " stripPrefix, connectTimeout, responseHeaderTimeout, totalTimeout, retries, authenticate,"
                        + " rateLimit",
                "gateway.upstreams.shop.healthCheck.intervall: unknown setting (g.yaml:10:21); known settings:"
                        + " enabled, path, interval, timeout",
                "gateway.upstreams.shop.dns-name: unknown setting (g.yaml:11:7); known settings: balancer,"
                        + " instances, dns, healthCheck, ejection, maxIdlePerInstance, idleTimeout",
                "gateway.auth.jwt.aud: unknown setting (g.yaml:14:68); known settings: hmacSecret, jwksFile,"
                        + " jwksUrl, issuer, audience, clockSkew, jwksTimeout",
                "gateway.rateLimit.redis.host: unknown setting (g.yaml:16:13); known settings: mode, nodes,"
                        + " masterName, user, password, database, keyPrefix, timeout, poolSize, breakerFailures,"
                        + " breakerOpenFor, heartbeat"), p);
    }

    @Test
    void theReadmesConfigBuiltFromMapsReadsLikeAFile() {
        String secret = "0123456789abcdef0123456789abcdef";
        GatewayConfig config = ConfigTree.of(Map.of(
                "routes", List.of(Map.of("pattern", "/api/", "upstream", "shop", "stripPrefix", "/api",
                        "authenticate", true, "rateLimit", true)),
                "upstreams", Map.of("shop", Map.of("instances", List.of("10.0.0.5:8080", "10.0.0.6:8080"),
                        "balancer", UpstreamConfig.Balancer.LEAST_OUTSTANDING)),
                "auth", Map.of("jwt", Map.of("hmacSecret", secret, "issuer", "https://id.example.com", "audience",
                        "shop")),
                "rateLimit", Map.of("key", "subject", "ratePerSecond", 50, "burst", 100)))
                .read(GatewayConfig::from);
        assertEquals("/api", config.routes().getFirst().stripPrefix());
        assertTrue(config.routes().getFirst().authenticate());
        assertEquals(UpstreamConfig.Balancer.LEAST_OUTSTANDING, config.upstreams().get("shop").balancer());
        assertEquals("shop", config.auth().jwt().audience());
        assertEquals(RateLimitConfig.KeySource.SUBJECT, config.rateLimit().key());
        assertEquals(50.0, config.rateLimit().ratePerSecond());
    }

    @Test
    void theFailedAuthLimitIsCheckedWithEveryProblemAtOnce() {
        ConfigTree tree = ConfigTree.parse("g.yaml", """
                gateway:
                  routes: [{pattern: /, upstream: shop}]
                  upstreams: {shop: {instances: [10.0.0.5:8080]}}
                  rateLimit:
                    failedAuth: {ratePerSecond: -1, burst: 0, perMinute: 5}
                """);
        tree.section("gateway").read(GatewayConfig::from);
        ConfigException e = assertThrows(ConfigException.class, tree::throwIfProblems);
        assertEquals(3, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().contains("gateway.rateLimit.failedAuth.ratePerSecond: must be positive, was -1"
                + " (g.yaml:5:18)"), e.problems().toString());
        assertTrue(e.problems().contains("gateway.rateLimit.failedAuth.burst: must be at least 1, was 0"
                + " (g.yaml:5:37)"), e.problems().toString());
        assertTrue(e.problems().stream().anyMatch(m -> m.startsWith("gateway.rateLimit.failedAuth.perMinute: ")),
                e.problems().toString());
        assertEquals(FailedAuthConfig.defaults(), RateLimitConfig.defaults().failedAuth());
    }

    @Test
    void aConfigBuiltInCodeIsValidatedByTheGateway() {
        RouteConfig d = RouteConfig.defaults();
        GatewayConfig bad = new GatewayConfig(
                List.of(new RouteConfig("/a", "nope", "", d.connectTimeout(), d.responseHeaderTimeout(),
                        Duration.ZERO, -1, true, false)),
                Map.of("shop", UpstreamConfig.defaults()), AuthConfig.defaults(),
                new RateLimitConfig(RateLimitConfig.KeySource.IP, 10, 10, new FailedAuthConfig(0, 0), new RedisConfig(RedisConfig.Mode.STANDALONE,
                        List.of("redis:6379"), null, null, null, 0, "", Duration.ofMillis(50), 0, 5,
                        Duration.ofSeconds(1), Duration.ofSeconds(1))));
        ConfigException e = assertThrows(ConfigException.class, () -> new Gateway(bad, new SimpleMeterRegistry()));
        assertEquals(List.of(
                "gateway.routes[0].totalTimeout: must be positive, was 0s",
                "gateway.routes[0].retries: must not be negative, was -1",
                "gateway.upstreams.shop.instances: must list at least one host:port (or give a dns section instead)",
                "gateway.rateLimit.redis.keyPrefix: must be 1 to 64 characters of A-Z a-z 0-9 _ . -, was \"\"",
                "gateway.rateLimit.redis.poolSize: must be at least 1, was 0",
                "gateway.rateLimit.failedAuth.ratePerSecond: must be positive, was 0",
                "gateway.rateLimit.failedAuth.burst: must be at least 1, was 0",
                "gateway.routes[0].upstream: must name one of the upstreams (shop), was \"nope\"",
                "gateway.routes[0].authenticate: must be false while auth has neither apiKeys nor jwt, was true"),
                e.problems());

        Problems none = new Problems();
        GatewayConfig good = ConfigTree.parse("g.yaml", EVERY_FIELD).section("gateway").read(GatewayConfig::from);
        good.validate("gateway", none);
        assertEquals(List.of(), none.list(), "a record read from a valid file validates in code too");
    }
}
