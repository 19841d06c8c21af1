package dev.weft.gateway.config;

import java.time.Duration;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;

/**
 * Passive health, {@code gateway.upstreams.NAME.ejection}: an instance whose requests fail (connection refused or
 * reset, timeout, a broken response) {@code consecutiveFailures} times in a row gets no traffic for
 * {@code duration}, then is tried again.
 *
 * @param consecutiveFailures failures in a row that eject an instance
 * @param duration            how long it stays out
 */
public record EjectionConfig(int consecutiveFailures, Duration duration) {
    /** 3 failures in a row, 10 s out; the service README gives the reasons. */
    public static EjectionConfig defaults() {
        return new EjectionConfig(3, Duration.ofSeconds(10));
    }

    /** Reads the section; an absent key keeps its default; problems, validation included, go to the section's tree. */
    public static EjectionConfig from(ConfigSection s) {
        return s.read(EjectionConfig.class, defaults(), EjectionConfig::validate);
    }

    /** Adds every problem under {@code path} ({@code gateway.upstreams.shop.ejection}). */
    public void validate(String path, Problems problems) {
        problems.atLeast(path + ".consecutiveFailures", consecutiveFailures, 1);
        problems.positive(path + ".duration", duration);
    }
}
