package dev.weft.ops.gc;

import java.util.ArrayList;
import java.util.List;

/**
 * The figures a GC report prints, computed from a {@link GcLog}, and the verdict against a {@link Goal}.
 *
 * @param log               the log they come from
 * @param throughputPercent share of the log's wall time not spent in stop-the-world pauses (concurrent GC work,
 *                          which ZGC and G1's marking do on other threads, costs CPU but is not counted here)
 * @param p50Millis         median pause (nearest rank); 0 without pauses
 * @param p99Millis         99th-percentile pause (nearest rank)
 * @param maxMillis         longest pause
 * @param totalPauseMillis  all pauses together
 * @param fullCollections   stop-the-world collections of the whole heap
 * @param allocationMBps    allocation rate, MB (10^6 bytes) per second of the log's span
 * @param promotionMBps     promotion rate into the old generation, MB per second
 */
public record GcSummary(GcLog log, double throughputPercent, double p50Millis, double p99Millis, double maxMillis,
                        double totalPauseMillis, int fullCollections, double allocationMBps, double promotionMBps) {

    /** Computes the figures. */
    public static GcSummary of(GcLog log) {
        double[] sorted = log.pauses().stream().mapToDouble(Pause::millis).sorted().toArray();
        double total = 0;
        for (double p : sorted) {
            total += p;
        }
        double span = log.spanSeconds();
        double throughput = span > 0 ? Math.max(0, 100 * (1 - total / 1000 / span)) : 100;
        int full = (int) log.pauses().stream().filter(Pause::isFull).count();
        double perSecond = span > 0 ? 1 / span / 1e6 : 0;
        return new GcSummary(log, throughput, percentile(sorted, 50), percentile(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1], total, full,
                log.allocatedBytes() * perSecond, log.promotedBytes() * perSecond);
    }

    /** Nearest-rank percentile of sorted values: the smallest value with at least p % of the values at or below. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** Whether the run met the goal, with one line per criterion. */
    public Verdict judge(Goal goal) {
        List<String> reasons = new ArrayList<>();
        boolean met = true;
        if (!Double.isNaN(goal.pauseMillis())) {
            boolean ok = p99Millis <= goal.pauseMillis();
            met &= ok;
            reasons.add(String.format("p99 pause %.3f ms %s %s ms", p99Millis, ok ? "<=" : ">",
                    Format.number(goal.pauseMillis())));
        }
        if (!Double.isNaN(goal.throughputPercent())) {
            boolean ok = throughputPercent >= goal.throughputPercent();
            met &= ok;
            reasons.add(String.format("throughput %.2f %% %s %.1f %%", throughputPercent, ok ? ">=" : "<",
                    goal.throughputPercent()));
        }
        if (goal.fullGcFails()) {
            met &= fullCollections == 0;
            reasons.add(fullCollections == 0 ? "no full GC" : fullCollections + " full GC(s)");
        }
        if (goal.allocationStallFails()) {
            int stalls = log.allocationStalls();
            met &= stalls == 0;
            reasons.add(stalls == 0 ? "no allocation stall"
                    : String.format("%d allocation stall(s), %.1f ms in all", stalls, log.allocationStallMillis()));
        }
        return new Verdict(met, reasons);
    }

    /**
     * A judgement.
     *
     * @param met     whether every criterion held
     * @param reasons one line per criterion, each saying the measured value and the goal
     */
    public record Verdict(boolean met, List<String> reasons) {
        public Verdict {
            reasons = List.copyOf(reasons);
        }
    }
}
