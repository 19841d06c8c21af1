package dev.weft.ops.gc;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

import dev.weft.ops.page.Page;

/**
 * Renders a report as text for people, as JSON for CI, or as an HTML page with the pause timeline and the heap after
 * each collection.
 */
final class Format {

    private Format() {
    }

    /** A goal as the user wrote it: plain digits, no exponent, no trailing zeros. */
    static String number(double v) {
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    static String text(String file, GcSummary s, Goal goal, GcSummary.Verdict v) {
        GcLog log = s.log();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "GC report: %s%n", file));
        b.append(String.format(Locale.ROOT, "collector    %s, judged by profile %s%n", log.collector().displayName(),
                goal.profile()));
        b.append(String.format(Locale.ROOT, "span         %.1f s, %d collections, %d pauses (%d full)%s%n",
                log.spanSeconds(), log.collections(), log.pauses().size(), s.fullCollections(),
                log.collector() == Collector.ZGC ? ", " + log.allocationStalls() + " allocation stalls" : ""));
        b.append(String.format(Locale.ROOT, "throughput   %.2f %% of wall time outside pauses%n", s.throughputPercent()));
        b.append(String.format(Locale.ROOT, "pauses       p50 %.3f ms, p99 %.3f ms, max %.3f ms, total %.1f ms%n",
                s.p50Millis(), s.p99Millis(), s.maxMillis(), s.totalPauseMillis()));
        b.append(String.format(Locale.ROOT, "allocation   %.1f MB/s%n", s.allocationMBps()));
        b.append(String.format(Locale.ROOT, "promotion    %.2f MB/s%n", s.promotionMBps()));
        b.append(String.format(Locale.ROOT, "verdict      %s: %s%n", v.met() ? "MET" : "NOT MET",
                String.join("; ", v.reasons())));
        return b.toString();
    }

    /** The report as a self-contained page: the figures, the verdict, and the two charts over the JVM's uptime. */
    static String html(String file, GcSummary s, Goal goal, GcSummary.Verdict v) {
        GcLog log = s.log();
        Page page = new Page("GC report: " + file);
        page.heading(1, "GC report: " + file);
        page.paragraph(v.met() ? "Verdict: goal met (" + String.join("; ", v.reasons()) + ")"
                : "Verdict: goal NOT met (" + String.join("; ", v.reasons()) + ")", v.met() ? "met" : "not-met");
        page.table(List.of("figure", "value"), List.of(
                List.of("collector, judged by profile", log.collector().displayName() + ", " + goal.profile()),
                List.of("span", String.format(Locale.ROOT, "%.1f s", log.spanSeconds())),
                List.of("collections / pauses / full", log.collections() + " / " + log.pauses().size() + " / "
                        + s.fullCollections()),
                List.of("throughput (wall time outside pauses)", String.format(Locale.ROOT, "%.2f %%",
                        s.throughputPercent())),
                List.of("pause p50 / p99 / max", String.format(Locale.ROOT, "%.3f / %.3f / %.3f ms", s.p50Millis(),
                        s.p99Millis(), s.maxMillis())),
                List.of("total pause", String.format(Locale.ROOT, "%.1f ms", s.totalPauseMillis())),
                List.of("allocation / promotion", String.format(Locale.ROOT, "%.1f / %.2f MB/s", s.allocationMBps(),
                        s.promotionMBps()))));
        page.row(List.of(GcCharts.pauses(log, t -> t, "JVM uptime (s)")));
        page.row(List.of(GcCharts.heap(log, t -> t, "JVM uptime (s)")));
        return page.render();
    }

    static String json(String file, GcSummary s, Goal goal, GcSummary.Verdict v) {
        GcLog log = s.log();
        StringBuilder b = new StringBuilder("{");
        field(b, "file", string(file));
        field(b, "collector", string(log.collector().name()));
        field(b, "profile", string(goal.profile()));
        field(b, "goal", "{\"pauseMillis\":" + num(goal.pauseMillis()) + ",\"throughputPercent\":"
                + num(goal.throughputPercent()) + "}");
        field(b, "spanSeconds", num(log.spanSeconds()));
        field(b, "collections", Integer.toString(log.collections()));
        field(b, "pauses", Integer.toString(log.pauses().size()));
        field(b, "fullCollections", Integer.toString(s.fullCollections()));
        field(b, "allocationStalls", Integer.toString(log.allocationStalls()));
        field(b, "throughputPercent", num(s.throughputPercent()));
        field(b, "pauseMillis", "{\"p50\":" + num(s.p50Millis()) + ",\"p99\":" + num(s.p99Millis()) + ",\"max\":"
                + num(s.maxMillis()) + ",\"total\":" + num(s.totalPauseMillis()) + "}");
        field(b, "allocationMBps", num(s.allocationMBps()));
        field(b, "promotionMBps", num(s.promotionMBps()));
        field(b, "verdict", "{\"met\":" + v.met() + ",\"reasons\":" + strings(v.reasons()) + "}");
        b.setLength(b.length() - 1);
        return b.append("}\n").toString();
    }

    private static void field(StringBuilder b, String name, String json) {
        b.append(string(name)).append(':').append(json).append(',');
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String strings(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (String v : values) {
            b.append(b.length() > 1 ? "," : "").append(string(v));
        }
        return b.append(']').toString();
    }

    private static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
