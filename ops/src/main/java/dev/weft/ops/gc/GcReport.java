package dev.weft.ops.gc;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The GC report command:
 * {@code java -cp weft-ops.jar dev.weft.ops.gc.GcReport FILE... [--json | --html] [--profile NAME]
 * [--goal-pause-ms N] [--goal-throughput PCT]}; {@code --help} prints the usage.
 *
 * <p>Prints throughput, pause p50/p99/max, allocation and promotion rates and a verdict against the goal of the
 * profile (by default the profile of the collector that wrote the log: G1 is judged as {@code g1}, ZGC as
 * {@code latency}, and so on). Exit status: 0 when the goal is met, 1 when it is not, 2 when the command line or the
 * log is unusable, so CI can fail a build on it.
 */
public final class GcReport {

    private static final String USAGE = """
            usage: weft-gc-report FILE... [--json | --html] [--profile g1|latency|throughput|small]
                                  [--goal-pause-ms N] [--goal-throughput PCT]

            Reads a unified GC log (-Xlog:gc*:file=gc.log:time,uptime,level,tags; rotated files oldest first:
            gc.log.0 ... gc.log) and prints throughput, pause p50/p99/max, allocation and promotion rates and a
            verdict against the goal of the profile (by default the profile of the collector that wrote the log).
              --json               one JSON object instead of text
              --html               a self-contained HTML page: the figures, the pause timeline and the heap before
                                   and after each GC (redirect it to a file)
              --profile NAME       judge by another profile's goal
              --goal-pause-ms N    the p99 pause goal, in milliseconds
              --goal-throughput P  the throughput goal, in percent of wall time outside pauses
              --help               this text
            Exit status: 0 goal met, 1 not met, 2 bad command line or log.
            """;

    private GcReport() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<Path> files = new ArrayList<>();
        String format = "text";
        String profile = null;
        Double pauseGoal = null;
        Double throughputGoal = null;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--json", "--html" -> {
                    if (!format.equals("text") && !format.equals(a.substring(2))) {
                        problems.add(a + ": choose one of --json and --html");
                    }
                    format = a.substring(2);
                }
                case "--help", "-h" -> {
                    out.print(USAGE);
                    out.flush();
                    return 0;
                }
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
            problems.forEach(p -> err.println("weft-gc-report: " + p));
            err.print(USAGE);
            return 2;
        }
        GcLog log;
        Goal goal;
        try {
            log = GcLogParser.parse(files);
            goal = Goal.forProfile(profile != null ? profile : log.collector().profile());
        } catch (IOException | IllegalArgumentException e) {
            err.println("weft-gc-report: " + e.getMessage());
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
        out.print(switch (format) {
            case "json" -> Format.json(name, summary, goal, verdict);
            case "html" -> Format.html(name, summary, goal, verdict);
            default -> Format.text(name, summary, goal, verdict);
        });
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
