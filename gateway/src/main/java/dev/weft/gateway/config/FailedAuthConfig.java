package dev.weft.gateway.config;

import java.math.BigDecimal;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;

/**
 * How fast one client IP may fail authentication, {@code gateway.rateLimit.failedAuth}: every 401 on a route with
 * {@code authenticate: true} takes a token from the client IP's failure bucket, and while that bucket is empty the
 * IP's requests to such routes get 429 before their credential is even checked, so keys and tokens cannot be
 * guessed at full speed (nor a right guess told from a wrong one while blocked). It applies whether or not the route
 * has {@code rateLimit: true}, and shares its buckets through {@code rateLimit.redis} when that is set.
 *
 * @param ratePerSecond failures per second a client IP may sustain
 * @param burst         failures in a row before the first 429
 */
public record FailedAuthConfig(double ratePerSecond, int burst) {
    /** 20 failures in a row, then one a second; the service README gives the reasons. */
    public static FailedAuthConfig defaults() {
        return new FailedAuthConfig(1, 20);
    }

    /** Reads the section; an absent key keeps its default; problems, validation included, go to the section's tree. */
    public static FailedAuthConfig from(ConfigSection s) {
        return s.read(FailedAuthConfig.class, defaults(), FailedAuthConfig::validate);
    }

    /** Adds every problem under {@code path} ({@code gateway.rateLimit.failedAuth}). */
    public void validate(String path, Problems problems) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            problems.add(path + ".ratePerSecond", "must be positive, was "
                    + (Double.isFinite(ratePerSecond)
                            ? BigDecimal.valueOf(ratePerSecond).stripTrailingZeros().toPlainString()
                            : String.valueOf(ratePerSecond)));
        }
        problems.atLeast(path + ".burst", burst, 1);
    }
}
