package dev.weft.dbpool;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

import dev.weft.config.Problems;

/**
 * The inputs of the sizing rule, for a pool sized from measured load rather than guessed.
 *
 * <p>The rule is Little's law: the connections in use on average are the arrival rate times the time each request
 * holds a connection ({@code L = λ × W}). At the peak, {@code peakRequestsPerSecond × meanHoldTime} connections are
 * busy; {@code headroomPercent} more absorbs bursts and the variance around the mean. The result is capped by
 * HikariCP's rule of thumb for the database host, {@code cores × 2 + spindles}: past that point more connections only
 * queue inside the database (CPU, locks, disk) instead of in the pool, where waiting is cheaper and visible.
 *
 * <p>The {@code db.sizing} section of a service's configuration, read with {@link DbPoolConfig} (each key as the
 * component of the same name) and validated by it; {@code peakRequestsPerSecond}, {@code meanHoldTime} and
 * {@code databaseCores} have no default: they describe the service and its database, and a guess would defeat the
 * rule.
 *
 * @param peakRequestsPerSecond the peak rate of requests that each take one connection, per second (required)
 * @param meanHoldTime          how long such a request holds its connection on average (SQL time plus round trips;
 *                              required)
 * @param headroomPercent       extra connections over the mean, in percent of it (20 = one fifth more)
 * @param databaseCores         CPU cores of the database host (required)
 * @param databaseSpindles      spinning disks of the database host: 0 when the working set is cached or on SSD,
 *                              the number of disks otherwise
 */
public record PoolSizing(double peakRequestsPerSecond, Duration meanHoldTime, int headroomPercent,
                         int databaseCores, int databaseSpindles) {

    /**
     * The defaults: no rate, hold time or cores (each must be given), 20% headroom (a fifth over the mean covers
     * ordinary bursts at a peak), and no spindles (HikariCP's effective spindle count is 0 when the active data is
     * cached, as it is on a database sized for its working set).
     */
    public static PoolSizing defaults() {
        return new PoolSizing(0, null, 20, 0, 0);
    }

    /** Adds every problem under {@code path} ({@code db.sizing}). */
    public void validate(String path, Problems problems) {
        if (!(peakRequestsPerSecond > 0) || Double.isInfinite(peakRequestsPerSecond)) {
            problems.add(path + ".peakRequestsPerSecond", "must be a positive number of requests per second, was "
                    + plain(peakRequestsPerSecond));
        }
        problems.positive(path + ".meanHoldTime", meanHoldTime);
        problems.between(path + ".headroomPercent", headroomPercent, 0, 1000);
        problems.atLeast(path + ".databaseCores", databaseCores, 1);
        problems.notNegative(path + ".databaseSpindles", databaseSpindles);
    }

    /**
     * Applies the rule. Each step rounds up (a fraction of a busy connection still needs a whole one) and the result
     * is at least one connection. The reasoning reads, for example,
     * {@code "pool 9: 400 req/s x 25 ms = 10, +20% = 12, capped by 2x4+1 = 9"}.
     */
    public SizingDecision decide() {
        BigDecimal rate = BigDecimal.valueOf(peakRequestsPerSecond);
        BigDecimal holdMillis = BigDecimal.valueOf(meanHoldTime.toNanos()).movePointLeft(6);
        BigDecimal busy = rate.multiply(holdMillis).movePointLeft(3);
        int little = Math.max(1, busy.setScale(0, RoundingMode.CEILING).intValueExact());
        int withHeadroom = Math.max(1, busy.multiply(BigDecimal.valueOf(100 + headroomPercent)).movePointLeft(2)
                .setScale(0, RoundingMode.CEILING).intValueExact());
        int cap = databaseCores * 2 + databaseSpindles;
        int size = Math.min(withHeadroom, cap);
        String steps = plain(rate) + " req/s x " + plain(holdMillis) + " ms = " + little
                + ", +" + headroomPercent + "% = " + withHeadroom;
        String capText = "2x" + databaseCores + "+" + databaseSpindles + " = " + cap;
        String reasoning = "pool " + size + ": " + steps
                + (withHeadroom > cap ? ", capped by " + capText : ", under the cap " + capText);
        return new SizingDecision(size, reasoning);
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static String plain(double value) {
        return Double.isFinite(value) ? plain(BigDecimal.valueOf(value)) : Double.toString(value);
    }
}
