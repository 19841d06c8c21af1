package dev.weft.loadtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the short summary of a Gatling report: for each measured request name (warm-up rows left out), the
 * throughput over the measured phase, p50, p95, p99, max and the error share (the report's "All Requests" row
 * mixes in the warm-up, so it is left out too). Run by {@code bin/run-load}:
 * {@code Summary REPORT_DIR MEASURED_SECONDS}; prints a Markdown table.
 */
public final class Summary {
    private static final Pattern ROW = Pattern.compile(
            "class=\"ellipsed-name\">([^<]*)</span>.*?"
                    + "col-2\">([\\d.]+)</td>.*?col-4\">([\\d.]+)</td>.*?"
                    + "col-8\">([\\d.-]+)</td>.*?col-10\">([\\d.-]+)</td>.*?col-11\">([\\d.-]+)</td>.*?"
                    + "col-12\">([\\d.-]+)</td>",
            Pattern.DOTALL);

    private Summary() {}

    record Row(String name, long count, long failed, String p50, String p95, String p99, String max) {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Summary REPORT_DIR MEASURED_SECONDS");
            System.exit(2);
        }
        String html = Files.readString(Path.of(args[0], "index.html"));
        double seconds = Double.parseDouble(args[1]);
        System.out.println("| request | count | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Row row : rows(html)) {
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %s | %s | %s | %s | %.2f %% |%n", row.name(),
                    row.count(), row.count() / seconds, row.p50(), row.p95(), row.p99(), row.max(),
                    row.count() == 0 ? 0.0 : 100.0 * row.failed() / row.count());
        }
    }

    static List<Row> rows(String html) {
        List<Row> rows = new ArrayList<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            String name = m.group(1);
            if (name.startsWith(Load.WARM_UP) || name.equals("All Requests")) {
                continue;
            }
            rows.add(new Row(name, Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), m.group(4), m.group(5),
                    m.group(6), m.group(7)));
        }
        return rows;
    }
}
