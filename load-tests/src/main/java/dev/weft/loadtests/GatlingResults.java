package dev.weft.loadtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.gatling.charts.stats.CountsVsTimePlot;
import io.gatling.charts.stats.GeneralStats;
import io.gatling.charts.stats.Group;
import io.gatling.charts.stats.LogFileData;
import io.gatling.charts.stats.LogFileReader;
import io.gatling.charts.stats.PercentVsTimePlot;
import io.gatling.charts.stats.Percentiles;
import io.gatling.charts.stats.PercentilesVsTimePlot;
import io.gatling.charts.stats.RequestStatsPath;
import io.gatling.charts.stats.RunInfo;
import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.commons.stats.Status;
import io.gatling.core.config.GatlingConfiguration;
import io.gatling.core.stats.ErrorStats;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Writes what a Gatling run measured as {@code results.json}, the machine-readable file that run-load's summary and
 * pages read: {@code GatlingResults REPORT_DIR OUT_FILE}, run with Gatling on the class path.
 *
 * <p>Gatling 3.15 writes no JSON of its own (its report keeps every figure inside the HTML pages, and
 * {@code simulation.log} is binary), so this reads {@code simulation.log} with the reader Gatling's own report is
 * drawn from ({@code io.gatling.charts.stats.LogFileReader}, from the same jar that wrote the log): the figures are
 * the report's, to the millisecond, for any simulation, without a hook in its requests. That reader is Gatling's
 * internal API: a Gatling upgrade that changes it breaks this class's compilation, not silently its numbers.
 *
 * <p>The file holds ({@code times in epoch milliseconds, durations in milliseconds}):
 * <ul>
 *   <li>{@code simulation}, {@code start}, {@code end}, and {@code measuredStart}: the end of the last warm-up
 *       request ({@link Load#WARM_UP} names), or the start when there was none;</li>
 *   <li>{@code requests}: per request name, {@code warmUp}, {@code count}, {@code ok}, {@code ko}, {@code min},
 *       {@code p50}, {@code p75}, {@code p95}, {@code p99}, {@code p999}, {@code max}, {@code mean},
 *       {@code meanPerSecond} (over the request's own span); {@code all} is the same over every request;</li>
 *   <li>{@code series}: one entry per second of the run for all requests together: {@code time}, {@code ok} and
 *       {@code ko} responses, and the OK responses' {@code min, p25, p50, p75, p90, p95, p99, max};</li>
 *   <li>{@code distribution}: Gatling's response-time histogram ({@code ms}, {@code okPercent}, {@code koPercent});</li>
 *   <li>{@code errors}: each failure message with its count.</li>
 * </ul>
 */
public final class GatlingResults {
    private static final int DISTRIBUTION_BUCKETS = 100;

    private GatlingResults() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: GatlingResults REPORT_DIR OUT_FILE   (REPORT_DIR holds simulation.log)");
            System.exit(2);
        }
        Path report = Path.of(args[0]).toAbsolutePath();
        if (!Files.isRegularFile(report.resolve("simulation.log"))) {
            System.err.println("GatlingResults: no simulation.log in " + report);
            System.exit(2);
        }
        ObjectNode json = read(report);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(args[1]).toFile(), json);
    }

    /** Reads the run whose report folder (with its {@code simulation.log}) is {@code report}. */
    static ObjectNode read(Path report) {
        GatlingConfiguration configuration = GatlingConfiguration.load();
        LogFileData data = LogFileReader.apply(report.getFileName().toString(), report.getParent(), configuration)
                .read();
        RunInfo info = data.runInfo();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode json = mapper.createObjectNode();
        json.put("simulation", info.simulationClassName());
        json.put("start", info.injectStart());
        json.put("end", info.injectEnd());

        ArrayNode requests = json.putArray("requests");
        for (RequestStatsPath path : requestPaths(data)) {
            ObjectNode request = requests.addObject();
            String name = name(path);
            request.put("name", name);
            request.put("warmUp", Load.isWarmUp(name));
            stats(request, data, Option.apply(path.request()), path.group());
        }
        stats(json.putObject("all"), data, Option.empty(), Option.empty());

        long measuredStart = info.injectStart();
        for (RequestStatsPath path : requestPaths(data)) {
            if (Load.isWarmUp(name(path))) {
                for (CountsVsTimePlot plot : list(data.numberOfResponsesPerSecond(Option.apply(path.request()),
                        path.group()))) {
                    if (plot.oks() + plot.kos() > 0) {
                        measuredStart = Math.max(measuredStart, bucketTime(info, plot.time()) + 500);
                    }
                }
            }
        }
        json.put("measuredStart", measuredStart);

        ArrayNode series = json.putArray("series");
        List<CountsVsTimePlot> counts = list(data.numberOfResponsesPerSecond(Option.empty(), Option.empty()));
        List<PercentilesVsTimePlot> percentiles = list(data.responseTimePercentilesOverTime(
                (Status) OK$.MODULE$, Option.empty(), Option.empty()));
        for (CountsVsTimePlot plot : counts) {
            ObjectNode point = series.addObject();
            point.put("time", bucketTime(info, plot.time()));
            point.put("ok", plot.oks());
            point.put("ko", plot.kos());
            for (PercentilesVsTimePlot p : percentiles) {
                if (p.time() == plot.time() && p.percentiles().isDefined()) {
                    Percentiles v = p.percentiles().get();
                    point.put("min", v.percentile0());
                    point.put("p25", v.percentile25());
                    point.put("p50", v.percentile50());
                    point.put("p75", v.percentile75());
                    point.put("p90", v.percentile90());
                    point.put("p95", v.percentile95());
                    point.put("p99", v.percentile99());
                    point.put("max", v.percentile100());
                }
            }
        }

        scala.Tuple2<scala.collection.immutable.Seq<PercentVsTimePlot>, scala.collection.immutable.Seq<PercentVsTimePlot>>
                distribution = data.responseTimeDistribution(DISTRIBUTION_BUCKETS, Option.empty(), Option.empty());
        ObjectNode histogram = json.putObject("distribution");
        ArrayNode ms = histogram.putArray("ms");
        ArrayNode ok = histogram.putArray("okPercent");
        ArrayNode ko = histogram.putArray("koPercent");
        List<PercentVsTimePlot> oks = list(distribution._1());
        List<PercentVsTimePlot> kos = list(distribution._2());
        for (int i = 0; i < oks.size(); i++) {
            ms.add(oks.get(i).time());
            ok.add(oks.get(i).value());
            ko.add(i < kos.size() ? kos.get(i).value() : 0);
        }

        ArrayNode errors = json.putArray("errors");
        for (ErrorStats e : list(data.errors(Option.empty(), Option.empty()))) {
            errors.addObject().put("message", e.message()).put("count", e.count());
        }
        return json;
    }

    private static ObjectNode stats(ObjectNode node, LogFileData data, Option<String> request, Option<Group> group) {
        GeneralStats all = data.requestGeneralStats(request, group, Option.empty()).getOrElse(() -> null);
        GeneralStats failed = data.requestGeneralStats(request, group, Option.apply((Status) KO$.MODULE$))
                .getOrElse(() -> null);
        long ko = failed == null ? 0 : failed.count();
        if (all == null) {
            return node.put("count", 0).put("ok", 0).put("ko", 0);
        }
        node.put("count", all.count());
        node.put("ok", all.count() - ko);
        node.put("ko", ko);
        node.put("min", all.min());
        node.put("p50", percentile(all, 50));
        node.put("p75", percentile(all, 75));
        node.put("p95", percentile(all, 95));
        node.put("p99", percentile(all, 99));
        node.put("p999", percentile(all, 99.9));
        node.put("max", all.max());
        node.put("mean", all.mean());
        node.put("meanPerSecond", all.meanRequestsPerSec());
        return node;
    }

    private static int percentile(GeneralStats stats, double p) {
        return ((Number) stats.percentile().apply(p)).intValue();
    }

    private static List<RequestStatsPath> requestPaths(LogFileData data) {
        List<RequestStatsPath> paths = new ArrayList<>();
        for (Object path : list(data.statsPaths())) {
            if (path instanceof RequestStatsPath r) {
                paths.add(r);
            }
        }
        return paths;
    }

    /** A request's name, behind its groups' names when it is in a group: {@code checkout / pay}. */
    private static String name(RequestStatsPath path) {
        if (path.group().isEmpty()) {
            return path.request();
        }
        List<String> names = new ArrayList<>(CollectionConverters.asJava(path.group().get().hierarchy()));
        names.add(path.request());
        return String.join(" / ", names);
    }

    /** A plot's time: Gatling keys each one-second bucket by its middle, in milliseconds since the run started. */
    private static long bucketTime(RunInfo info, int time) {
        return info.injectStart() + time;
    }

    private static <T> List<T> list(scala.collection.Iterable<T> items) {
        return new ArrayList<>(CollectionConverters.asJavaCollection(items));
    }
}
