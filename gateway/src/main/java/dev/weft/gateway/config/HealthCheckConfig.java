package dev.weft.gateway.config;

import java.time.Duration;
import java.util.regex.Pattern;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;

/**
 * Active health checks, {@code gateway.upstreams.NAME.healthCheck}: a GET of {@code path} on each instance every
 * {@code interval}; an instance that does not answer 2xx within {@code timeout} gets no traffic until it does.
 *
 * @param enabled  run the checks; read from a file, true when the {@code healthCheck} section is given
 * @param path     the readiness path ({@code /health/ready}, the one Weft services register)
 * @param interval time between two checks of one instance
 * @param timeout  how long one check may take
 */
public record HealthCheckConfig(boolean enabled, String path, Duration interval, Duration timeout) {
    private static final Pattern ABSOLUTE = Pattern.compile("/\\S*");

    /** Off; when on, {@code GET /health/ready} every 5 s with 1 s to answer. The service README gives the reasons. */
    public static HealthCheckConfig defaults() {
        return new HealthCheckConfig(false, "/health/ready", Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    /**
     * Reads the section; an absent key keeps its default, except {@code enabled}, which defaults to true when the
     * section is given at all ({@code healthCheck: {}} turns the checks on with every default). Problems, validation
     * included, go to the section's tree.
     */
    public static HealthCheckConfig from(ConfigSection s) {
        HealthCheckConfig d = defaults();
        HealthCheckConfig given = new HealthCheckConfig(true, d.path, d.interval, d.timeout);
        return s.read(HealthCheckConfig.class, s.isPresent() ? given : d, HealthCheckConfig::validate);
    }

    /** Adds every problem under {@code path} ({@code gateway.upstreams.shop.healthCheck}). */
    public void validate(String path, Problems problems) {
        problems.matches(path + ".path", this.path, ABSOLUTE, "a path starting with '/'");
        problems.positive(path + ".interval", interval);
        problems.positive(path + ".timeout", timeout);
    }
}
