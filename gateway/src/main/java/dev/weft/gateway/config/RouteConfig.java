package dev.weft.gateway.config;

import java.time.Duration;
import java.util.regex.Pattern;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;
import dev.weft.http.ServeMux;

/**
 * One route, an item of {@code gateway.routes}: requests matching {@code pattern} go to the upstream group named
 * {@code upstream}.
 *
 * @param pattern               a server-core {@code ServeMux} pattern ({@code GET /api/{rest...}}, {@code /static/})
 * @param upstream              the name of the upstream group
 * @param stripPrefix           a path prefix removed before forwarding ({@code /api}), or empty
 * @param connectTimeout        how long opening a connection to an instance may take
 * @param responseHeaderTimeout how long the instance may take, after the request was sent, to send its headers;
 *                              also the longest pause between two reads of the response body
 * @param totalTimeout          how long the whole exchange, body included, may take
 * @param retries               how many other instances an idempotent, body-less request may be retried on
 * @param authenticate          require an API key or a JWT
 * @param rateLimit             apply the gateway's rate limit
 */
public record RouteConfig(String pattern, String upstream, String stripPrefix, Duration connectTimeout,
                          Duration responseHeaderTimeout, Duration totalTimeout, int retries, boolean authenticate,
                          boolean rateLimit) {
    private static final Pattern PREFIX = Pattern.compile("(/.*)?");

    /**
     * Every optional setting at its default (the service README gives the reasons); {@code pattern} and
     * {@code upstream} have none and are null.
     */
    public static RouteConfig defaults() {
        return new RouteConfig(null, null, "", Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(60),
                1, false, false);
    }

    /** Reads one route; an absent key keeps its default; problems, validation included, go to the section's tree. */
    public static RouteConfig from(ConfigSection s) {
        return s.read(RouteConfig.class, defaults(), RouteConfig::validate);
    }

    /**
     * Adds every problem under {@code path} ({@code gateway.routes[0]}). The pattern is parsed by a
     * {@link ServeMux}, so a pattern the gateway would fail to register is a configuration problem; whether the
     * upstream exists and whether two routes conflict is checked by {@link GatewayConfig}.
     */
    public void validate(String path, Problems problems) {
        problems.required(path + ".pattern", pattern);
        if (pattern != null && !pattern.isBlank()) {
            try {
                new ServeMux().handle(pattern, (w, r) -> {});
            } catch (IllegalArgumentException e) {
                String why = e.getMessage().replace("invalid pattern \"" + pattern + "\": ", "");
                problems.add(path + ".pattern", "must be a ServeMux pattern ([METHOD ][HOST]/PATH), was \"" + pattern
                        + "\": " + why);
            }
        }
        problems.required(path + ".upstream", upstream);
        problems.matches(path + ".stripPrefix", stripPrefix, PREFIX, "empty or a path starting with '/'");
        problems.positive(path + ".connectTimeout", connectTimeout);
        problems.positive(path + ".responseHeaderTimeout", responseHeaderTimeout);
        problems.positive(path + ".totalTimeout", totalTimeout);
        problems.notNegative(path + ".retries", retries);
    }
}
