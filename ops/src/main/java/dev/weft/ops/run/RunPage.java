package dev.weft.ops.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import dev.weft.ops.gc.GcCharts;
import dev.weft.ops.gc.GcLog;
import dev.weft.ops.gc.GcSummary;
import dev.weft.ops.gc.Goal;
import dev.weft.ops.page.Chart;
import dev.weft.ops.page.Page;

/**
 * The page of one load run, or of two side by side (A, then B): the headline figures with their ratios B/A, then one
 * row of charts per question, each run's chart beside the other's on the same y scale. Every chart over time counts
 * seconds from its run's load start, so both columns line up although the runs were at different times.
 *
 * <p>Sources: response times, throughput and errors from {@code results.json} (Gatling); GC pauses and the heap from
 * {@code service/gc.log} with weft-gc-report's verdict (else the pause time in {@code /metrics}); pool, database and
 * cache figures from the polled {@code /metrics}, by the meter names the modules register: HikariCP's
 * {@code hikaricp.connections.*}, db-pool's {@code weft.db.pool.*}, the cache's {@code cache.gets} (by level and
 * result) and {@code cache.loads} (by result).
 */
public final class RunPage {
    private static final String X = "seconds since the load started";
    private static final Predicate<Map<String, String>> ALL = labels -> true;

    private final List<Run> runs;

    public RunPage(List<Run> runs) {
        if (runs.isEmpty() || runs.size() > 2) {
            throw new IllegalArgumentException("a page shows one run or two, not " + runs.size());
        }
        this.runs = List.copyOf(runs);
    }

    /** The page's HTML. */
    public String render() {
        boolean compare = runs.size() == 2;
        String title = compare ? "Load runs compared: A " + runs.get(0).label() + ", B " + runs.get(1).label()
                : "Load run: " + runs.getFirst().label();
        Page page = new Page(title);
        page.heading(1, title);
        for (int i = 0; i < runs.size(); i++) {
            page.paragraph((compare ? (i == 0 ? "A: " : "B: ") : "") + describe(runs.get(i)), "note");
        }
        page.heading(2, compare ? "Headline figures (B/A: below 1 means B is lower)" : "Headline figures");
        page.table(compare ? List.of("figure", "A", "B", "B/A") : List.of("figure", "value"), headlines());

        page.heading(2, "Response times");
        page.paragraph("Percentiles of the OK responses of every request, warm-up included, second by second "
                + "(Gatling's figures); the distribution is the share of all responses by response time, on a "
                + "logarithmic scale so that the tail shows.", "note");
        row(page, this::percentiles);
        row(page, this::distribution);

        page.heading(2, "Throughput and errors");
        row(page, this::throughput);
        row(page, this::errors);
        for (Run run : runs) {
            List<List<String>> errors = new ArrayList<>();
            for (JsonNode e : run.results().path("errors")) {
                errors.add(List.of(e.path("message").asText(), e.path("count").asText()));
            }
            if (!errors.isEmpty()) {
                page.heading(3, "Errors of " + run.label());
                page.table(List.of("message", "count"), errors);
            }
        }

        page.heading(2, "Garbage collection");
        for (Run run : runs) {
            GcLog gc = run.gc();
            if (gc != null) {
                GcSummary summary = GcSummary.of(gc);
                GcSummary.Verdict verdict = summary.judge(goal(run, gc));
                page.paragraph(run.label() + ": weft-gc-report's verdict against profile " + goal(run, gc).profile()
                        + ": " + (verdict.met() ? "met" : "NOT met") + " (" + String.join("; ", verdict.reasons())
                        + ")", verdict.met() ? "met" : "not-met");
            } else {
                page.paragraph(run.label() + ": " + run.gcProblem(), "note");
            }
        }
        row(page, this::gcPauses);
        row(page, this::heap);

        page.heading(2, "Database pool");
        page.paragraph("From the service's /metrics, polled every second: HikariCP's connections (summed over the "
                + "service's pools) and the time a request waited for one; borrows are one per transaction or "
                + "statement outside one, so they count the database's work; cache loads, per cache, are the reads "
                + "that missed every cache level and went to the loader.", "note");
        row(page, this::poolUsage);
        row(page, this::poolWaits);
        row(page, this::databaseWork);

        page.heading(2, "Cache");
        row(page, this::cacheGets);
        row(page, this::cacheLoads);
        return page.render();
    }

    private void row(Page page, Function<Run, Chart> chart) {
        List<Chart> charts = runs.stream().map(chart).toList();
        double max = Double.NaN;
        for (Chart c : charts) {
            double m = c.maxY();
            if (!Double.isNaN(m) && (Double.isNaN(max) || m > max)) {
                max = m;
            }
        }
        double shared = max;
        boolean log = charts.stream().anyMatch(Chart::logY);
        page.row(Double.isNaN(shared) || log ? charts : charts.stream().map(c -> c.withYMax(shared)).toList());
    }

    private static String describe(Run run) {
        StringBuilder b = new StringBuilder(run.label()).append(": ");
        b.append(run.property("simulation", run.results().path("simulation").asText()));
        b.append(", ").append(run.property("rate", "?")).append(" arrivals/s for ").append(run.property("duration", "?"))
                .append(" s after ").append(run.property("warmup", "?")).append(" s of warm-up");
        b.append(", against ").append(run.property("target", "?"));
        String profile = run.property("profile", "");
        if (!profile.isEmpty()) {
            b.append(" through weft-launch --profile ").append(profile);
        }
        String cgroup = run.property("cgroup", "");
        if (!cgroup.isEmpty()) {
            b.append(", in cgroup ").append(cgroup);
        }
        String jvm = run.property("jvm", "");
        if (!jvm.isEmpty()) {
            b.append(", JVM flags ").append(jvm);
        }
        String config = run.property("config", "");
        if (!config.isEmpty()) {
            b.append(", config ").append(config);
        }
        String env = run.property("env", "");
        if (!env.isEmpty()) {
            b.append(", settings ").append(env);
        }
        b.append("; ").append(run.property("date", java.time.Instant.ofEpochMilli(run.start()).toString()));
        String machine = run.property("machine", "");
        if (!machine.isEmpty()) {
            b.append(" on ").append(machine);
        }
        return b.append('.').toString();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Headline figures

    private List<List<String>> headlines() {
        List<List<String>> rows = new ArrayList<>();
        figure(rows, "measured throughput (responses/s)", r -> {
            long n = 0;
            for (JsonNode q : r.measuredRequests()) {
                n += q.path("count").asLong();
            }
            return n / r.measuredSeconds();
        });
        figure(rows, "measured failed responses (%)", r -> {
            long n = 0;
            long ko = 0;
            for (JsonNode q : r.measuredRequests()) {
                n += q.path("count").asLong();
                ko += q.path("ko").asLong();
            }
            return n == 0 ? Double.NaN : 100.0 * ko / n;
        });
        List<String> names = new ArrayList<>();
        for (Run run : runs) {
            for (JsonNode q : run.measuredRequests()) {
                if (!names.contains(q.path("name").asText())) {
                    names.add(q.path("name").asText());
                }
            }
        }
        for (String name : names) {
            for (String p : List.of("p50", "p99", "max")) {
                figure(rows, name + ": " + p + " (ms)", r -> {
                    JsonNode v = r.request(name).path(p);
                    return v.isNumber() ? v.asDouble() : Double.NaN;
                });
            }
        }
        if (runs.stream().anyMatch(r -> r.gc() != null)) {
            figure(rows, "GC pauses", r -> r.gc() == null ? Double.NaN : r.gc().pauses().size());
            figure(rows, "full GCs", r -> r.gc() == null ? Double.NaN : GcSummary.of(r.gc()).fullCollections());
            figure(rows, "GC pause total (ms)", r -> r.gc() == null ? Double.NaN : GcSummary.of(r.gc()).totalPauseMillis());
            figure(rows, "GC pause p99 (ms)", r -> r.gc() == null ? Double.NaN : GcSummary.of(r.gc()).p99Millis());
            figure(rows, "GC pause max (ms)", r -> r.gc() == null ? Double.NaN : GcSummary.of(r.gc()).maxMillis());
        }
        figure(rows, "connection borrows (whole run)",
                r -> r.metrics().increase("hikaricp_connections_usage_seconds_count", ALL));
        figure(rows, "connection timeouts (whole run)",
                r -> r.metrics().increase("hikaricp_connections_timeout_total", ALL));
        figure(rows, "cache loads (whole run)", r -> r.metrics().increase("cache_loads_seconds_count", ALL));
        figure(rows, "cache L1 hit share (%)", r -> {
            double hits = r.metrics().increase("cache_gets_total", l -> "l1".equals(l.get("level"))
                    && "hit".equals(l.get("result")));
            double all = r.metrics().increase("cache_gets_total", l -> "l1".equals(l.get("level")));
            return all > 0 ? 100 * hits / all : Double.NaN;
        });
        rows.removeIf(row -> row.stream().skip(1).limit(runs.size()).allMatch("–"::equals));
        return rows;
    }

    private void figure(List<List<String>> rows, String name, Function<Run, Double> value) {
        List<String> row = new ArrayList<>();
        row.add(name);
        List<Double> values = runs.stream().map(value).toList();
        values.forEach(v -> row.add(format(v)));
        if (runs.size() == 2) {
            double a = values.get(0);
            double b = values.get(1);
            row.add(Double.isNaN(a) || Double.isNaN(b) || a == 0 ? "–" : String.format(Locale.ROOT, "%.2f", b / a));
        }
        rows.add(row);
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : "%.2f", v);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Charts from Gatling's results

    private Chart percentiles(Run run) {
        JsonNode series = run.results().path("series");
        String title = "Response time percentiles, " + run.label();
        if (series.isEmpty()) {
            return Chart.empty(title, "Gatling recorded no response.");
        }
        double[] x = new double[series.size()];
        List<Chart.Series> lines = new ArrayList<>();
        for (String p : List.of("p50", "p95", "p99", "max")) {
            double[] v = new double[series.size()];
            for (int i = 0; i < series.size(); i++) {
                JsonNode point = series.get(i);
                x[i] = run.seconds(point.path("time").asLong());
                v[i] = point.has(p) ? point.path(p).asDouble() : Double.NaN;
            }
            lines.add(Chart.Series.line(p, v));
        }
        return new Chart(title, X, "response time (ms)", x, lines, Double.NaN,
                "No OK response in any second of the run.");
    }

    private Chart distribution(Run run) {
        JsonNode d = run.results().path("distribution");
        String title = "Response time distribution, " + run.label();
        int n = d.path("ms").size();
        double[] x = new double[n];
        double[] ok = new double[n];
        double[] ko = new double[n];
        boolean anyKo = false;
        for (int i = 0; i < n; i++) {
            x[i] = d.path("ms").get(i).asDouble();
            ok[i] = d.path("okPercent").get(i).asDouble();
            ko[i] = d.path("koPercent").get(i).asDouble();
            anyKo |= ko[i] > 0;
        }
        List<Chart.Series> series = new ArrayList<>(List.of(Chart.Series.line("OK", ok)));
        if (anyKo) {
            series.add(Chart.Series.line("failed", ko));
        }
        return new Chart(title, "response time (ms)", "share (%, log scale)", x, series, Double.NaN,
                "Gatling recorded no response.").withLogY();
    }

    private Chart throughput(Run run) {
        return counts(run, "Responses per second, " + run.label(), false);
    }

    private Chart errors(Run run) {
        return counts(run, "Failed responses per second, " + run.label(), true);
    }

    private static Chart counts(Run run, String title, boolean failedOnly) {
        JsonNode series = run.results().path("series");
        double[] x = new double[series.size()];
        double[] ok = new double[series.size()];
        double[] ko = new double[series.size()];
        boolean anyKo = false;
        for (int i = 0; i < series.size(); i++) {
            JsonNode point = series.get(i);
            x[i] = run.seconds(point.path("time").asLong());
            ok[i] = point.path("ok").asDouble();
            ko[i] = point.path("ko").asDouble();
            anyKo |= ko[i] > 0;
        }
        if (failedOnly) {
            if (!anyKo) {
                return Chart.empty(title, "No failed response in this run.");
            }
            return new Chart(title, X, "failed responses/s", x, List.of(Chart.Series.line("failed", ko)), Double.NaN,
                    "");
        }
        List<Chart.Series> lines = new ArrayList<>(List.of(Chart.Series.line("OK", ok)));
        if (anyKo) {
            lines.add(Chart.Series.line("failed", ko));
        }
        return new Chart(title, X, "responses/s", x, lines, Double.NaN, "Gatling recorded no response.");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // GC

    private Chart gcPauses(Run run) {
        GcLog gc = run.gc();
        if (gc != null) {
            return GcCharts.pauses(gc, gcTime(run, gc), gcAxis(gc));
        }
        String title = "GC pause time per second, " + run.label();
        if (!run.metrics().has("jvm_gc_pause_seconds_sum")) {
            return Chart.empty(title, run.gcProblem() + " " + noMetric(run, "jvm_gc_pause_seconds"));
        }
        Map<String, double[]> rate = run.metrics().rate("jvm_gc_pause_seconds_sum", ALL, "action");
        List<Chart.Series> series = new ArrayList<>();
        rate.forEach((action, v) -> {
            double[] ms = v.clone();
            for (int i = 0; i < ms.length; i++) {
                ms[i] *= 1000;
            }
            series.add(Chart.Series.line(action, ms));
        });
        return new Chart(title + " (from /metrics; no GC log)", X, "pause (ms per s)", metricTimes(run), series,
                Double.NaN, "");
    }

    private Chart heap(Run run) {
        GcLog gc = run.gc();
        if (gc == null) {
            return Chart.empty("Heap before and after each GC, " + run.label(), run.gcProblem());
        }
        return GcCharts.heap(gc, gcTime(run, gc), gcAxis(gc));
    }

    private static java.util.function.DoubleUnaryOperator gcTime(Run run, GcLog gc) {
        return gc.jvmStartEpochMillis() < 0 ? t -> t : t -> run.seconds(gc.epochMillis(t));
    }

    private static String gcAxis(GcLog gc) {
        return gc.jvmStartEpochMillis() < 0 ? "JVM uptime (s; the GC log has no time decoration)" : X;
    }

    private static Goal goal(Run run, GcLog gc) {
        String profile = run.property("profile", "");
        return switch (profile) {
            case "g1", "latency", "throughput", "small" -> Goal.forProfile(profile);
            default -> Goal.forProfile(gc.collector().profile());
        };
    }

    // ---------------------------------------------------------------------------------------------------------------
    // /metrics

    private Chart poolUsage(Run run) {
        String title = "Pool connections in use and threads waiting, " + run.label();
        if (!run.metrics().has("hikaricp_connections_active")) {
            return Chart.empty(title, noMetric(run, "hikaricp_connections_active"));
        }
        List<Chart.Series> series = new ArrayList<>();
        gauge(series, run, "hikaricp_connections_active", "active");
        gauge(series, run, "hikaricp_connections_idle", "idle");
        gauge(series, run, "hikaricp_connections_pending", "threads waiting (HikariCP)");
        gauge(series, run, "weft_db_pool_waiting", "threads waiting (db-pool queue)");
        gauge(series, run, "hikaricp_connections_max", "maximum");
        return new Chart(title, X, "connections / threads", metricTimes(run), series, Double.NaN, "");
    }

    private Chart poolWaits(Run run) {
        String title = "Wait for a pooled connection, mean per second, " + run.label();
        if (!run.metrics().has("hikaricp_connections_acquire_seconds_count")) {
            return Chart.empty(title, noMetric(run, "hikaricp_connections_acquire_seconds"));
        }
        List<Chart.Series> series = new ArrayList<>();
        series.add(Chart.Series.line("HikariCP acquire", run.metrics().meanMillis("hikaricp_connections_acquire_seconds",
                ALL)));
        if (run.metrics().has("weft_db_pool_wait_seconds_count")) {
            series.add(Chart.Series.line("db-pool queue wait", run.metrics().meanMillis("weft_db_pool_wait_seconds",
                    ALL)));
        }
        return new Chart(title, X, "wait (ms)", metricTimes(run), series, Double.NaN,
                "No connection was borrowed while /metrics was polled.");
    }

    private Chart databaseWork(Run run) {
        String title = "Database work per second, " + run.label();
        boolean pool = run.metrics().has("hikaricp_connections_usage_seconds_count");
        boolean loads = run.metrics().has("cache_loads_seconds_count");
        if (!pool && !loads) {
            return Chart.empty(title, noMetric(run, "hikaricp_connections_usage_seconds or cache_loads_seconds"));
        }
        List<Chart.Series> series = new ArrayList<>();
        if (pool) {
            series.add(Chart.Series.line("connection borrows/s", sum(run.metrics().rate(
                    "hikaricp_connections_usage_seconds_count", ALL, ""))));
        }
        if (loads) {
            run.metrics().rate("cache_loads_seconds_count", ALL, "cache").forEach((cache, v) -> {
                if (hasNonZero(v)) {
                    series.add(Chart.Series.line("cache loads/s, " + cache, v));
                }
            });
        }
        return new Chart(title, X, "per second", metricTimes(run), series, Double.NaN, "");
    }

    private Chart cacheGets(Run run) {
        String title = "Cache reads per second by cache, level and result, " + run.label();
        if (!run.metrics().has("cache_gets_total")) {
            return Chart.empty(title, noMetric(run, "cache_gets_total") + " (the cache is off, or not Weft's).");
        }
        List<Chart.Series> series = new ArrayList<>();
        run.metrics().rate("cache_gets_total", ALL, "cache,level,result").forEach((key, v) -> {
            if (hasNonZero(v)) {
                series.add(Chart.Series.line(key, v));
            }
        });
        if (series.isEmpty()) {
            return Chart.empty(title, "The cache was not read during the run.");
        }
        return new Chart(title, X, "reads/s", metricTimes(run), series, Double.NaN, "");
    }

    private Chart cacheLoads(Run run) {
        String title = "Cache loads per second by cache and result, " + run.label();
        if (!run.metrics().has("cache_loads_seconds_count")) {
            return Chart.empty(title, noMetric(run, "cache_loads_seconds") + " (the cache is off, or not Weft's).");
        }
        List<Chart.Series> series = new ArrayList<>();
        run.metrics().rate("cache_loads_seconds_count", ALL, "cache,result").forEach((key, v) -> {
            if (hasNonZero(v)) {
                series.add(Chart.Series.line(key, v));
            }
        });
        if (series.isEmpty()) {
            return Chart.empty(title, "The cache loaded nothing during the run.");
        }
        return new Chart(title, X, "loads/s", metricTimes(run), series, Double.NaN, "");
    }

    private static void gauge(List<Chart.Series> series, Run run, String name, String label) {
        double[] v = run.metrics().gauge(name, ALL, "").get(name);
        if (v != null) {
            series.add(Chart.Series.line(label, v));
        }
    }

    private static double[] metricTimes(Run run) {
        long[] times = run.metrics().times();
        double[] x = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            x[i] = run.seconds(times[i]);
        }
        return x;
    }

    private static double[] sum(Map<String, double[]> series) {
        return series.values().stream().findFirst().orElse(new double[0]);
    }

    private static boolean hasNonZero(double[] v) {
        for (double d : v) {
            if (!Double.isNaN(d) && d != 0) {
                return true;
            }
        }
        return false;
    }

    private static String noMetric(Run run, String name) {
        if (run.metrics().times().length == 0) {
            return "No /metrics scrape in this run: the service did not answer GET /metrics.";
        }
        return "The service's /metrics has no " + name;
    }
}
