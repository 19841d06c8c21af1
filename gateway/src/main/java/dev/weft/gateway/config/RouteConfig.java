package dev.weft.gateway.config;

import java.time.Duration;
import java.util.List;

import dev.weft.http.config.ConfigSection;

/**
 * One route: requests matching {@code pattern} go to upstream group {@code upstream}.
 *
 * @param pattern               a server-core {@code ServeMux} pattern ({@code GET /api/{rest...}}, {@code /static/})
 * @param upstream              the name of the upstream group
 * @param stripPrefix           a path prefix removed before forwarding ({@code /api}), or empty
 * @param connectTimeout        how long opening a connection to an instance may take
 * @param responseHeaderTimeout how long the instance may take, after the request was sent, to send its headers
 * @param totalTimeout          how long the whole exchange, body included, may take
 * @param retries               how many other instances an idempotent, body-less request may be retried on
 * @param authenticate          require an API key or a JWT
 * @param rateLimit             apply the gateway's rate limit
 */
public record RouteConfig(String pattern, String upstream, String stripPrefix, Duration connectTimeout,
                          Duration responseHeaderTimeout, Duration totalTimeout, int retries, boolean authenticate,
                          boolean rateLimit) {
    /** 1 s: a healthy instance on the same network accepts in well under a millisecond; longer means it is gone. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** 15 s: above the time an ordinary handler takes, below the point where a client gives up by itself. */
    public static final Duration DEFAULT_RESPONSE_HEADER_TIMEOUT = Duration.ofSeconds(15);
    /** 60 s: bounds downloads and uploads too; raise it per route for large transfers. */
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(60);
    /** 1: one more instance is tried, which covers one instance dying without doubling the load in an outage. */
    public static final int DEFAULT_RETRIES = 1;

    /** A route with every default: no prefix stripping, no authentication, no rate limit. */
    public static RouteConfig of(String pattern, String upstream) {
        return new RouteConfig(pattern, upstream, "", DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_HEADER_TIMEOUT,
                DEFAULT_TOTAL_TIMEOUT, DEFAULT_RETRIES, false, false);
    }

    public RouteConfig withTimeouts(Duration connect, Duration responseHeader, Duration total) {
        return new RouteConfig(pattern, upstream, stripPrefix, connect, responseHeader, total, retries, authenticate,
                rateLimit);
    }

    public RouteConfig withRetries(int n) {
        return new RouteConfig(pattern, upstream, stripPrefix, connectTimeout, responseHeaderTimeout, totalTimeout, n,
                authenticate, rateLimit);
    }

    public RouteConfig withAuthentication(boolean on) {
        return new RouteConfig(pattern, upstream, stripPrefix, connectTimeout, responseHeaderTimeout, totalTimeout,
                retries, on, rateLimit);
    }

    public RouteConfig withRateLimit(boolean on) {
        return new RouteConfig(pattern, upstream, stripPrefix, connectTimeout, responseHeaderTimeout, totalTimeout,
                retries, authenticate, on);
    }

    public RouteConfig withStripPrefix(String prefix) {
        return new RouteConfig(pattern, upstream, prefix, connectTimeout, responseHeaderTimeout, totalTimeout,
                retries, authenticate, rateLimit);
    }

    static RouteConfig from(ConfigSection t) {
        RouteConfig r = new RouteConfig(
                t.string("pattern", null),
                t.string("upstream", null),
                t.string("stripPrefix", ""),
                t.duration("connectTimeout", DEFAULT_CONNECT_TIMEOUT),
                t.duration("responseHeaderTimeout", DEFAULT_RESPONSE_HEADER_TIMEOUT),
                t.duration("totalTimeout", DEFAULT_TOTAL_TIMEOUT),
                t.integer("retries", DEFAULT_RETRIES),
                t.bool("authenticate", false),
                t.bool("rateLimit", false));
        t.rejectUnknownKeys(List.of("pattern", "upstream", "stripPrefix", "connectTimeout", "responseHeaderTimeout",
                "totalTimeout", "retries", "authenticate", "rateLimit"));
        return r;
    }

    void validate(String path, List<String> problems) {
        if (pattern == null || pattern.isBlank()) {
            problems.add(path + ".pattern: is required");
        } else if (!pattern.contains("/")) {
            problems.add(path + ".pattern: must contain a path starting with '/', got '" + pattern + "'");
        }
        if (upstream == null || upstream.isBlank()) {
            problems.add(path + ".upstream: is required");
        }
        if (stripPrefix != null && !stripPrefix.isEmpty() && !stripPrefix.startsWith("/")) {
            problems.add(path + ".stripPrefix: must start with '/', got '" + stripPrefix + "'");
        }
        Validation.positive(path + ".connectTimeout", connectTimeout, problems);
        Validation.positive(path + ".responseHeaderTimeout", responseHeaderTimeout, problems);
        Validation.positive(path + ".totalTimeout", totalTimeout, problems);
        if (retries < 0) {
            problems.add(path + ".retries: must be 0 or more, got " + retries);
        }
    }
}
