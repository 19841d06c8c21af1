package dev.weft.ops.gc;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The GC report command:
 * {@code java -cp weft-ops.jar dev.weft.ops.gc.GcReport FILE... [--json] [--profile NAME] [--goal-pause-ms N]
 * [--goal-throughput PCT]}.
 *
 * <p>Prints throughput, pause p50/p99/max, allocation and promotion rates and a verdict against the goal of the
 * profile (by default the profile of the collector that wrote the log: G1 is judged as {@code g1}, ZGC as
 * {@code latency}, and so on). Exit status: 0 when the goal is met, 1 when it is not, 2 when the command line or the
 * log is unusable, so CI can fail a build on it.
 */
public final class GcReport {

    private static final String USAGE = "usage: GcReport FILE... [--json] [--profile g1|latency|throughput|small] "
            + "[--goal-pause-ms N] [--goal-throughput PCT]   (rotated files oldest first: gc.log.0 ... gc.log)";

    private GcReport() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<Path> files = new ArrayList<>();
        boolean json = false;
        String profile = null;
        Double pauseGoal = null;
        Double throughputGoal = null;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--json" -> json = true;
                case "--profile", "--goal-pause-ms", "--goal-throughput" -> {
                    if (i + 1 == args.length) {
                        problems.add(a + ": needs a value");
                        break;
                    }
                    String value = args[++i];
                    if (a.equals("--profile")) {
                        profile = value;
                    } else {
                        Double n = positiveNumber(a, value, problems);
                        if (a.equals("--goal-pause-ms")) {
                            pauseGoal = n;
                        } else {
                            throughputGoal = n;
                        }
                    }
                }
                default -> {
                    if (a.startsWith("--")) {
                        problems.add(a + ": unknown option");
                    } else if (!Files.isReadable(Path.of(a))) {
                        problems.add(a + ": no such readable file");
                    } else {
                        files.add(Path.of(a));
                    }
                }
            }
        }
        if (files.isEmpty() && problems.isEmpty()) {
            problems.add("no GC log given");
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("GcReport: " + p));
            err.println(USAGE);
            return 2;
        }
        GcLog log;
        Goal goal;
        try {
            log = GcLogParser.parse(files);
            goal = Goal.forProfile(profile != null ? profile : log.collector().profile());
        } catch (IOException | IllegalArgumentException e) {
            err.println("GcReport: " + e.getMessage());
            return 2;
        }
        if (pauseGoal != null) {
            goal = goal.withPauseMillis(pauseGoal);
        }
        if (throughputGoal != null) {
            goal = goal.withThroughputPercent(throughputGoal);
        }
        GcSummary summary = GcSummary.of(log);
        GcSummary.Verdict verdict = summary.judge(goal);
        String name = files.size() == 1 ? files.getFirst().toString() : files.toString();
        out.print(json ? Format.json(name, summary, goal, verdict) : Format.text(name, summary, goal, verdict));
        out.flush();
        return verdict.met() ? 0 : 1;
    }

    private static Double positiveNumber(String option, String value, List<String> problems) {
        try {
            double n = Double.parseDouble(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(option + ": must be a positive number, was '" + value + "'");
        return null;
    }
}
