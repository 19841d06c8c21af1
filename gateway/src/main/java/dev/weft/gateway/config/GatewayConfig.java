package dev.weft.gateway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.weft.http.ConfigException;

/**
 * The whole gateway: routes, the upstream groups they name, authentication and the rate limit. Immutable; build it
 * in code or from a configuration tree with {@link #fromTree}, then {@link #validate()} once.
 *
 * <p>The tree's shape, in YAML:
 * <pre>
 * listen: ":8080"
 * upstreams:
 *   shop:
 *     instances: ["10.0.0.5:8080", "10.0.0.6:8080"]   # or  dns: {name: shop.default.svc, port: 8080}
 *     balancer: least-outstanding
 *     healthCheck: {path: /health/ready, interval: 5s}
 * routes:
 *   - pattern: "/api/{rest...}"
 *     upstream: shop
 *     stripPrefix: /api
 *     authenticate: true
 *     rateLimit: true
 * auth:
 *   apiKeys: {"0123456789abcdef0123": ci-bot}
 *   jwt: {jwksUrl: "https://id.example.com/.well-known/jwks.json", audience: shop}
 * rateLimit: {key: subject, ratePerSecond: 50, burst: 100, redis: {host: 127.0.0.1}}
 * </pre>
 *
 * @param listen    the address the standalone gateway binds ({@code :8080}, {@code 127.0.0.1:8080})
 * @param routes    the routes, each registered on a {@code ServeMux}
 * @param upstreams the upstream groups by name
 * @param auth      credentials for routes that require authentication
 * @param rateLimit the token bucket for rate-limited routes
 */
public record GatewayConfig(String listen, List<RouteConfig> routes, Map<String, UpstreamConfig> upstreams,
                            AuthConfig auth, RateLimitConfig rateLimit) {
    public GatewayConfig {
        routes = List.copyOf(routes);
        upstreams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(upstreams));
    }

    /**
     * Builds the configuration from a tree such as {@code ConfigFile} produces, and validates it.
     *
     * @throws ConfigException listing every problem, each with its path ({@code gateway.routes[1].upstream: ...})
     */
    public static GatewayConfig fromTree(Map<String, Object> tree, String path) {
        List<String> problems = new ArrayList<>();
        ConfigTree t = ConfigTree.root(tree, path, problems);
        List<RouteConfig> routes = new ArrayList<>();
        for (ConfigTree r : t.children("routes")) {
            routes.add(RouteConfig.from(r));
        }
        Map<String, UpstreamConfig> upstreams = new LinkedHashMap<>();
        ConfigTree u = t.child("upstreams");
        for (String name : u.keys()) {
            upstreams.put(name, UpstreamConfig.from(name, u.child(name)));
        }
        GatewayConfig config = new GatewayConfig(t.string("listen", ":8080"), routes, upstreams,
                AuthConfig.from(t.child("auth")), RateLimitConfig.from(t.child("rateLimit")));
        config.collectProblems(path, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    /** Checks every field and every reference between routes and upstreams; throws listing every problem. */
    public GatewayConfig validate() {
        List<String> problems = new ArrayList<>();
        collectProblems("gateway", problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return this;
    }

    private void collectProblems(String path, List<String> problems) {
        String p = path.isEmpty() ? "" : path + ".";
        if (routes.isEmpty()) {
            problems.add(p + "routes: at least one route is required");
        }
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig r = routes.get(i);
            String where = p + "routes[" + i + "]";
            r.validate(where, problems);
            if (r.upstream() != null && !upstreams.containsKey(r.upstream())) {
                problems.add(where + ".upstream: no upstream named '" + r.upstream() + "' (known: "
                        + String.join(", ", upstreams.keySet()) + ")");
            }
            if (r.authenticate() && !auth.anyCredential()) {
                problems.add(where + ".authenticate: auth has neither apiKeys nor jwt");
            }
        }
        upstreams.forEach((name, u) -> u.validate(p + "upstreams." + name, problems));
        auth.validate(p + "auth", problems);
        rateLimit.validate(p + "rateLimit", problems);
    }
}
