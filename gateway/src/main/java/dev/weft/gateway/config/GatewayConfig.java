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
 * <p>The tree's shape, in YAML (routes are a mapping from a name to a route, so that the block-style YAML subset
 * of server-core's {@code ConfigFile}, which has no mappings inside lists, can express them; the name appears in
 * problem paths; API keys are given per subject, since a subject is a name and a key is a secret):
 * <pre>
 * upstreams:
 *   shop:
 *     instances:
 *       - 10.0.0.5:8080
 *       - 10.0.0.6:8080
 *     balancer: least-outstanding
 *     healthCheck:
 *       interval: 5s
 *   search:
 *     dns:
 *       name: search.default.svc.cluster.local
 *       port: 8080
 * routes:
 *   api:
 *     pattern: /api/{rest...}
 *     upstream: shop
 *     stripPrefix: /api
 *     authenticate: true
 *     rateLimit: true
 * auth:
 *   apiKeys:
 *     ci-bot: 0123456789abcdef0123
 *   jwt:
 *     jwksUrl: https://id.example.com/.well-known/jwks.json
 *     audience: shop
 * rateLimit:
 *   key: subject
 *   ratePerSecond: 50
 *   burst: 100
 *   redis:
 *     host: 127.0.0.1
 * </pre>
 *
 * @param routes    the routes, each registered on a {@code ServeMux}
 * @param upstreams the upstream groups by name
 * @param auth      credentials for routes that require authentication
 * @param rateLimit the token bucket for rate-limited routes
 */
public record GatewayConfig(List<RouteConfig> routes, Map<String, UpstreamConfig> upstreams, AuthConfig auth,
                            RateLimitConfig rateLimit) {
    public GatewayConfig {
        routes = List.copyOf(routes);
        upstreams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(upstreams));
    }

    /**
     * Builds the configuration from a tree such as {@code ConfigFile} produces, and validates it.
     *
     * @throws ConfigException listing every problem, each with its path ({@code gateway.routes.api.upstream: ...})
     */
    public static GatewayConfig fromTree(Map<String, Object> tree, String path) {
        List<String> problems = new ArrayList<>();
        ConfigTree t = ConfigTree.root(tree, path, problems);
        List<RouteConfig> routes = new ArrayList<>();
        ConfigTree r = t.child("routes");
        List<String> names = r.keys();
        for (String name : names) {
            routes.add(RouteConfig.from(r.child(name)));
        }
        Map<String, UpstreamConfig> upstreams = new LinkedHashMap<>();
        ConfigTree u = t.child("upstreams");
        for (String name : u.keys()) {
            upstreams.put(name, UpstreamConfig.from(name, u.child(name)));
        }
        GatewayConfig config = new GatewayConfig(routes, upstreams,
                AuthConfig.from(t.child("auth")), RateLimitConfig.from(t.child("rateLimit")));
        config.collectProblems(path, names, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    /** Checks every field and every reference between routes and upstreams; throws listing every problem. */
    public GatewayConfig validate() {
        List<String> problems = new ArrayList<>();
        collectProblems("gateway", null, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return this;
    }

    /** Adds every problem; routes are named by {@code routeNames} when they came from a file, else by index. */
    private void collectProblems(String path, List<String> routeNames, List<String> problems) {
        String p = path.isEmpty() ? "" : path + ".";
        if (routes.isEmpty()) {
            problems.add(p + "routes: at least one route is required");
        }
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig r = routes.get(i);
            String where = p + "routes" + (routeNames != null ? "." + routeNames.get(i) : "[" + i + "]");
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
