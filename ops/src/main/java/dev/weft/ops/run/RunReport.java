package dev.weft.ops.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import dev.weft.ops.gc.GcSummary;

/**
 * The load-run command line that needs no Gatling, used by {@code load-tests/bin/run-load}:
 * <pre>
 *   RunReport summary RUN                  the run's summary in Markdown, on standard output
 *   RunReport page OUT.html RUN [RUN_B]    the page of one run, or of two side by side (A = RUN, B = RUN_B)
 * </pre>
 * Exit status 0, or 2 with one sentence for a bad command line or an unreadable run folder.
 */
public final class RunReport {
    private static final String USAGE = "usage: RunReport summary RUN | RunReport page OUT.html RUN [RUN_B]";

    private RunReport() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 2 && args[0].equals("summary")) {
                out.print(summary(Run.read(Path.of(args[1]))));
                out.flush();
                return 0;
            }
            if ((args.length == 3 || args.length == 4) && args[0].equals("page")) {
                List<Run> runs = new ArrayList<>();
                for (int i = 2; i < args.length; i++) {
                    runs.add(Run.read(Path.of(args[i])));
                }
                Files.writeString(Path.of(args[1]), new RunPage(runs).render(), StandardCharsets.UTF_8);
                return 0;
            }
            err.println(USAGE);
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("run-load: " + e.getMessage());
            return 2;
        }
    }

    /**
     * The summary of a run in Markdown: what ran, then per measured request (warm-up left out) its count,
     * throughput over the measured phase, p50, p95, p99, max and failed share; then the GC verdict when the run has a
     * GC log.
     */
    public static String summary(Run run) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "# %s: %s/s for %ss (warm-up %ss excluded), %s%n%n",
                run.property("simulation", run.results().path("simulation").asText()), run.property("rate", "?"),
                run.property("duration", "?"), run.property("warmup", "?"),
                run.property("date", java.time.Instant.ofEpochMilli(run.start()).toString())));
        b.append("target: ").append(run.property("target", "?"));
        for (String key : List.of("profile", "cgroup", "jvm", "config", "env", "machine")) {
            String v = run.property(key, "");
            if (!v.isEmpty()) {
                b.append("; ").append(key).append(": `").append(v).append('`');
            }
        }
        b.append("\n\n| request | count | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        double seconds = run.measuredSeconds();
        for (JsonNode r : run.measuredRequests()) {
            long count = r.path("count").asLong();
            b.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %s | %s | %s | %s | %.2f %% |%n",
                    r.path("name").asText(), count, count / seconds, r.path("p50").asText("-"),
                    r.path("p95").asText("-"), r.path("p99").asText("-"), r.path("max").asText("-"),
                    count == 0 ? 0.0 : 100.0 * r.path("ko").asLong() / count));
        }
        if (run.gc() != null) {
            GcSummary gc = GcSummary.of(run.gc());
            b.append(String.format(Locale.ROOT, "%nGC (%s): %d pauses, %d full, total %.1f ms, p99 %.3f ms, max %.3f ms"
                            + ", throughput %.2f %%%n", run.gc().collector().displayName(), run.gc().pauses().size(),
                    gc.fullCollections(), gc.totalPauseMillis(), gc.p99Millis(), gc.maxMillis(),
                    gc.throughputPercent()));
        }
        return b.toString();
    }
}
