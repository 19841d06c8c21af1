package dev.weft.ops.gc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

import dev.weft.ops.page.Chart;

/**
 * The two charts of a GC log: every stop-the-world pause on a timeline (one series per kind, so a full GC stands out),
 * and the heap before and after each collection (what stays after a collection is the live set plus what the
 * collector chose to leave; a rising floor is a leak or a cache filling up).
 */
public final class GcCharts {
    private static final double MB = 1024 * 1024;

    private GcCharts() {}

    /**
     * The pauses, at {@code x.applyAsDouble(uptimeSeconds)} on an axis called {@code xLabel} (the GC page uses the
     * uptime itself; a run page uses seconds since the load started).
     */
    public static Chart pauses(GcLog log, DoubleUnaryOperator x, String xLabel) {
        String title = "GC pauses (" + log.collector().displayName() + ")";
        if (log.pauses().isEmpty()) {
            return Chart.empty(title, "No stop-the-world pause in the GC log.");
        }
        List<Pause> pauses = new ArrayList<>(log.pauses());
        pauses.sort(Comparator.comparingDouble(Pause::uptimeSeconds));
        Map<String, double[]> byKind = new LinkedHashMap<>();
        double[] xs = new double[pauses.size()];
        for (int i = 0; i < pauses.size(); i++) {
            Pause p = pauses.get(i);
            xs[i] = x.applyAsDouble(p.uptimeSeconds());
            double[] values = byKind.computeIfAbsent(kind(log.collector(), p), k -> nans(pauses.size()));
            values[i] = p.millis();
        }
        List<Chart.Series> series = new ArrayList<>();
        byKind.forEach((kind, values) -> series.add(Chart.Series.points(kind, values)));
        return new Chart(title, xLabel, "pause (ms)", xs, series, Double.NaN, "");
    }

    /** The heap in use before and after each collection, and the committed heap, in MiB. */
    public static Chart heap(GcLog log, DoubleUnaryOperator x, String xLabel) {
        String title = "Heap before and after each GC";
        List<HeapSample> samples = log.heap();
        if (samples.isEmpty()) {
            return Chart.empty(title, "The GC log states no heap sizes.");
        }
        double[] xs = new double[samples.size()];
        double[] before = new double[samples.size()];
        double[] after = new double[samples.size()];
        double[] committed = new double[samples.size()];
        boolean anyCommitted = false;
        for (int i = 0; i < samples.size(); i++) {
            HeapSample s = samples.get(i);
            xs[i] = x.applyAsDouble(s.uptimeSeconds());
            before[i] = s.beforeBytes() / MB;
            after[i] = s.afterBytes() / MB;
            committed[i] = s.capacityBytes() < 0 ? Double.NaN : s.capacityBytes() / MB;
            anyCommitted |= s.capacityBytes() >= 0;
        }
        List<Chart.Series> series = new ArrayList<>(List.of(
                Chart.Series.line("after GC", after), Chart.Series.points("before GC", before)));
        if (anyCommitted) {
            series.add(Chart.Series.line("committed", committed));
        }
        return new Chart(title, xLabel, "heap (MiB)", xs, series, Double.NaN, "");
    }

    private static String kind(Collector collector, Pause p) {
        if (collector == Collector.ZGC) {
            return p.kind().startsWith("O") ? "old generation" : "young generation";
        }
        if (p.isFull()) {
            return "full";
        }
        if (p.kind().startsWith("Pause Young")) {
            return p.kind().contains("Mixed") ? "mixed" : "young";
        }
        return "remark / cleanup";
    }

    private static double[] nans(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }
}
