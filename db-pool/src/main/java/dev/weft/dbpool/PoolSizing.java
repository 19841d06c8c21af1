package dev.weft.dbpool;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

import dev.weft.http.config.Problems;

/**
 * The inputs of the sizing rule, for a pool sized from measured load rather than guessed.
 *
 * <p>The rule is Little's law: the connections in use on average are the arrival rate times the time each request
 * holds a connection ({@code L = λ × W}). At the peak, {@code peakRequestsPerSecond × meanHoldTime} connections are
 * busy; {@code headroomPercent} more absorbs bursts and the variance around the mean. The result is capped by
 * HikariCP's rule of thumb for the database host, {@code cores × 2 + spindles}: past that point more connections only
 * queue inside the database (CPU, locks, disk) instead of in the pool, where waiting is cheaper and visible.
 *
 * @param peakRequestsPerSecond the peak rate of requests that each take one connection, per second
 * @param meanHoldTime          how long such a request holds its connection on average (SQL time plus round trips)
 * @param headroomPercent       extra connections over the mean, in percent of it (20 = one fifth more)
 * @param databaseCores         CPU cores of the database host
 * @param databaseSpindles      spinning disks of the database host (0 for SSDs whose data is cached, 1 is usual)
 */
public record PoolSizing(double peakRequestsPerSecond, Duration meanHoldTime, int headroomPercent,
                         int databaseCores, int databaseSpindles) {

    /** The headroom used when none is given: a fifth over the mean covers ordinary bursts at a peak. */
    public static final int DEFAULT_HEADROOM_PERCENT = 20;

    /** Records one problem per bad input in {@code problems}, each prefixed with {@code path}. */
    void validate(String path, Problems problems) {
        if (!(peakRequestsPerSecond > 0) || Double.isInfinite(peakRequestsPerSecond)) {
            problems.add(path + ".peakRequestsPerSecond: must be a positive number, was " + peakRequestsPerSecond);
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
}
