package dev.weft.gateway.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;
import dev.weft.http.ServeMux;

/**
 * The whole gateway, the {@code gateway} section: routes, the upstream groups they name, authentication and the
 * rate limit. Immutable; read it with {@link #from}, or build it in code and hand it to the {@code Gateway}, which
 * validates it.
 *
 * <p>The section's shape, in YAML (routes are a list, tried in {@code ServeMux} order, so the most specific pattern
 * wins whatever the order; upstreams and API keys are mappings by name, since routes refer to an upstream by name
 * and a subject is a name where a key is a secret):
 * <pre>
 * routes:
 *   - pattern: /api/{rest...}
 *     upstream: shop
 *     stripPrefix: /api
 *     authenticate: true
 *     rateLimit: true
 *   - pattern: GET /search
 *     upstream: search
 * upstreams:
 *   shop:
 *     instances: [10.0.0.5:8080, 10.0.0.6:8080]
 *     balancer: least-outstanding
 *     healthCheck: {interval: 5s}
 *   search:
 *     dns: {name: search.default.svc.cluster.local, port: 8080}
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
 *     nodes: [127.0.0.1:6379]
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
        upstreams = Collections.unmodifiableMap(new LinkedHashMap<>(upstreams));
    }

    /**
     * Reads the {@code gateway} section and validates it, recording every problem in the section's tree with its
     * path ({@code gateway.routes[0].upstream}) and origin; the caller reports them all with
     * {@code ConfigTree.throwIfProblems()}, and with problems the returned record must not be used. Every setting
     * can be overridden by its environment variable or system property ({@code WEFT_GATEWAY_ROUTES_0_TOTAL_TIMEOUT},
     * {@code -Dweft.gateway.upstreams.shop.instances=...}); the routes, upstreams and API-key subjects themselves
     * come from the file.
     *
     * <p>Routes written as a mapping from a name to a route, the form of earlier versions, are one problem that
     * says how to rewrite them.
     */
    public static GatewayConfig from(ConfigSection s) {
        List<String> oldRouteNames = new ArrayList<>();
        List<ConfigSection> routeSections = s.sections("routes", names -> {
            oldRouteNames.addAll(names);
            return rewriteRoutes(names);
        });
        List<RouteConfig> routes = routeSections.stream().map(RouteConfig::from).toList();
        Map<String, UpstreamConfig> upstreams = new LinkedHashMap<>();
        for (ConfigSection u : s.section("upstreams").children()) {
            upstreams.put(u.name(), UpstreamConfig.from(u));
        }
        GatewayConfig c = new GatewayConfig(routes, upstreams, AuthConfig.from(s.section("auth")),
                RateLimitConfig.from(s.section("rateLimit")));
        if (oldRouteNames.isEmpty()) {
            c.requireRoutes(s.path(), s.problems());
        }
        // An item that is not a mapping is no route, so a route's index in the file may differ from its index here.
        c.validateReferences(routeSections.stream().map(ConfigSection::path).toList(), s.path(), s.problems());
        return c;
    }

    /**
     * Adds every problem under {@code path} ({@code gateway}): each route, upstream and section, and the references
     * between them.
     */
    public void validate(String path, Problems problems) {
        String p = prefix(path);
        requireRoutes(path, problems);
        List<String> routePaths = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            routePaths.add(p + "routes[" + i + "]");
            routes.get(i).validate(routePaths.get(i), problems);
        }
        upstreams.forEach((name, u) -> u.validate(p + "upstreams." + name, problems));
        auth.validate(p + "auth", problems);
        rateLimit.validate(p + "rateLimit", problems);
        validateReferences(routePaths, path, problems);
    }

    private void requireRoutes(String path, Problems problems) {
        if (routes.isEmpty()) {
            problems.add(prefix(path) + "routes", "must list at least one route");
        }
    }

    /**
     * What no single record can check: that each route's upstream exists, that a route requiring authentication
     * has credentials to check, and that no two patterns conflict (a {@code ServeMux} refuses two patterns that
     * match the same requests with neither more specific, and the gateway registers every route on one). Route
     * {@code i} is named by {@code routePaths.get(i)}.
     */
    private void validateReferences(List<String> routePaths, String path, Problems problems) {
        ServeMux mux = new ServeMux();
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig r = routes.get(i);
            String where = routePaths.get(i);
            if (r.upstream() != null && !r.upstream().isBlank() && !upstreams.containsKey(r.upstream())) {
                problems.add(where + ".upstream", "must name one of the upstreams ("
                        + String.join(", ", upstreams.keySet()) + "), was \"" + r.upstream() + "\"");
            }
            if (r.authenticate() && !auth.anyCredential()) {
                problems.add(where + ".authenticate", "must be false while auth has neither apiKeys nor jwt, was true");
            }
            if (!registers(new ServeMux(), r.pattern())) {
                continue; // missing or malformed: the route reports it
            }
            if (!registers(mux, r.pattern())) {
                for (int j = 0; j < i; j++) {
                    ServeMux pair = new ServeMux();
                    if (registers(pair, routes.get(j).pattern()) && !registers(pair, r.pattern())) {
                        problems.add(where + ".pattern", "must not conflict with " + routePaths.get(j)
                                + ".pattern (\"" + routes.get(j).pattern() + "\": both match some requests and"
                                + " neither is more specific), was \"" + r.pattern() + "\"");
                        break;
                    }
                }
            }
        }
    }

    /** Registers {@code pattern} on {@code mux}; false when it is missing, malformed or conflicts with one there. */
    private static boolean registers(ServeMux mux, String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return false;
        }
        try {
            mux.handle(pattern, (w, r) -> {});
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String prefix(String path) {
        return path.isEmpty() ? "" : path + ".";
    }

    /** The problem for routes written as a mapping from a name to a route, as earlier versions had them. */
    private static String rewriteRoutes(List<String> names) {
        String quoted = names.isEmpty() ? "" : " '" + String.join("', '", names) + "'";
        return "must be a list of routes, was a mapping: write each route as a list item, '- pattern: ...'"
                + (names.isEmpty() ? "" : " (the name" + (names.size() == 1 ? quoted + " is" : "s" + quoted + " are")
                        + " no longer needed)");
    }
}
