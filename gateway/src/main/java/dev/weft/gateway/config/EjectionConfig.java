package dev.weft.gateway.config;

import java.time.Duration;
import java.util.List;

import dev.weft.http.config.ConfigSection;

/**
 * Passive health: an instance whose requests fail (connection refused or reset, timeout) {@code consecutiveFailures}
 * times in a row gets no traffic for {@code duration}, then is tried again.
 *
 * @param consecutiveFailures failures in a row that eject an instance
 * @param duration            how long it stays out
 */
public record EjectionConfig(int consecutiveFailures, Duration duration) {
    /** 3 in a row: one failure may be a restart or a lost packet; three in a row is a pattern. */
    public static final int DEFAULT_FAILURES = 3;
    /** 10 s: long enough for a crashed instance to be replaced, short enough to return a recovered one soon. */
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);

    public static EjectionConfig defaults() {
        return new EjectionConfig(DEFAULT_FAILURES, DEFAULT_DURATION);
    }

    static EjectionConfig from(ConfigSection t) {
        EjectionConfig e = new EjectionConfig(t.integer("consecutiveFailures", DEFAULT_FAILURES),
                t.duration("duration", DEFAULT_DURATION));
        t.rejectUnknownKeys(List.of("consecutiveFailures", "duration"));
        return e;
    }

    void validate(String path, List<String> problems) {
        Validation.positive(path + ".consecutiveFailures", consecutiveFailures, problems);
        Validation.positive(path + ".duration", duration, problems);
    }
}
