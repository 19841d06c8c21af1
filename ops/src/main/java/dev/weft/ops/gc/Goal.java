package dev.weft.ops.gc;

/**
 * What a profile promises, so a report can say whether a run kept the promise. Each default is the collector's own
 * goal, not a number chosen here.
 *
 * @param profile             the weft-launch profile the goal belongs to
 * @param pauseMillis         the p99 pause must not exceed this; NaN for no pause goal
 * @param throughputPercent   the share of wall time outside pauses must reach this; NaN for no throughput goal
 * @param fullGcFails         whether one full collection breaks the goal (G1's full GC is its failure mode)
 * @param allocationStallFails whether one allocation stall breaks the goal (ZGC's failure mode)
 */
public record Goal(String profile, double pauseMillis, double throughputPercent, boolean fullGcFails,
                   boolean allocationStallFails) {

    /**
     * The goal of a weft-launch profile.
     * <ul>
     *   <li>{@code g1}: pauses within MaxGCPauseMillis=200 (the seed's setting); throughput 92.3 %, from G1's
     *       GCTimeRatio=12 (1/(1+12) of the time in GC); a full GC is a failure.</li>
     *   <li>{@code latency}: pauses under 1 ms, what generational ZGC is built for; an allocation stall (a thread
     *       waiting for the collector) is a failure.</li>
     *   <li>{@code throughput}: 99 %, from Parallel's GCTimeRatio=99; no pause goal, as Parallel has none.</li>
     *   <li>{@code small}: Serial has no goal of its own; the g1 profile's 200 ms pause budget applies.</li>
     * </ul>
     *
     * @throws IllegalArgumentException for an unknown profile
     */
    public static Goal forProfile(String profile) {
        return switch (profile) {
            case "g1" -> new Goal(profile, 200, 100.0 * 12 / 13, true, false);
            case "latency" -> new Goal(profile, 1, Double.NaN, false, true);
            case "throughput" -> new Goal(profile, Double.NaN, 99, false, false);
            case "small" -> new Goal(profile, 200, Double.NaN, false, false);
            default -> throw new IllegalArgumentException(
                    "unknown profile '" + profile + "': use g1, latency, throughput or small");
        };
    }

    /** This goal with another pause goal. */
    public Goal withPauseMillis(double millis) {
        return new Goal(profile, millis, throughputPercent, fullGcFails, allocationStallFails);
    }

    /** This goal with another throughput goal. */
    public Goal withThroughputPercent(double percent) {
        return new Goal(profile, pauseMillis, percent, fullGcFails, allocationStallFails);
    }
}
