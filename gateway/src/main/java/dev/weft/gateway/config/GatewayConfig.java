package dev.weft.gateway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.weft.http.ConfigException;
import dev.weft.http.config.ConfigSection;

/**
 * The whole gateway: routes, the upstream groups they name, authentication and the rate limit. Immutable; build it
 * in code and {@link #validate()} it once, or read it from a configuration file with {@link #from}.
 *
 * <p>The section's shape, in YAML (routes are a mapping from a name to a route, so that the block-style YAML
 * subset of server-core's {@code ConfigFile}, which has no mappings inside lists, can express them and each setting
 * has an environment variable; the name appears in problem paths; API keys are given per subject, since a subject
 * is a name and a key is a secret):
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
     * Reads the configuration from {@code section} (the {@code gateway} section of a {@code ConfigFile}) and
     * validates it, recording every problem in the section's file with its path, such as
     * {@code gateway.routes.api.upstream}; the caller reports them all with {@code ConfigFile.throwIfProblems()}.
     * With problems, the returned record must not be used. Every setting can be overridden by its environment
     * variable ({@code WEFT_GATEWAY_ROUTES_API_TOTAL_TIMEOUT}); routes and upstreams themselves come from the file.
     */
    public static GatewayConfig from(ConfigSection section) {
        List<RouteConfig> routes = new ArrayList<>();
        ConfigSection r = section.section("routes");
        List<String> names = List.copyOf(r.keys());
        for (String name : names) {
            routes.add(RouteConfig.from(r.section(name)));
        }
        r.rejectUnknownKeys(names);
        Map<String, UpstreamConfig> upstreams = new LinkedHashMap<>();
        ConfigSection u = section.section("upstreams");
        for (String name : u.keys()) {
            upstreams.put(name, UpstreamConfig.from(name, u.section(name)));
        }
        u.rejectUnknownKeys(upstreams.keySet());
        GatewayConfig config = new GatewayConfig(routes, upstreams,
                AuthConfig.from(section.section("auth")), RateLimitConfig.from(section.section("rateLimit")));
        section.rejectUnknownKeys(List.of("routes", "upstreams", "auth", "rateLimit"));
        List<String> problems = new ArrayList<>();
        config.collectProblems(section.path(), names, problems);
        section.file().addProblems(problems);
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
