package dev.weft.gateway.config;

import java.time.Duration;
import java.util.List;

import dev.weft.http.config.ConfigSection;

/**
 * Active health checks: a GET of {@code path} on each instance every {@code interval}; an instance that does not
 * answer 2xx within {@code timeout} gets no traffic until it does.
 *
 * @param enabled  run the checks
 * @param path     the readiness path ({@code /health/ready}, the one Weft services register)
 * @param interval time between two checks of one instance
 * @param timeout  how long one check may take
 */
public record HealthCheckConfig(boolean enabled, String path, Duration interval, Duration timeout) {
    /** 5 s: a dead instance is noticed within seconds by passive health anyway; this finds the ones that return. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** 1 s: a readiness probe does no work; one slower than this is as good as down. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    public static HealthCheckConfig disabled() {
        return new HealthCheckConfig(false, "/health/ready", DEFAULT_INTERVAL, DEFAULT_TIMEOUT);
    }

    public static HealthCheckConfig every(Duration interval, Duration timeout) {
        return new HealthCheckConfig(true, "/health/ready", interval, timeout);
    }

    static HealthCheckConfig from(ConfigSection t) {
        HealthCheckConfig h = new HealthCheckConfig(t.bool("enabled", t.has("path") || t.has("interval")),
                t.string("path", "/health/ready"), t.duration("interval", DEFAULT_INTERVAL),
                t.duration("timeout", DEFAULT_TIMEOUT));
        t.rejectUnknownKeys(List.of("enabled", "path", "interval", "timeout"));
        return h;
    }

    void validate(String path, List<String> problems) {
        if (this.path == null || !this.path.startsWith("/")) {
            problems.add(path + ".path: must start with '/', got '" + this.path + "'");
        }
        Validation.positive(path + ".interval", interval, problems);
        Validation.positive(path + ".timeout", timeout, problems);
    }
}
