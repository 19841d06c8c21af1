package dev.weft.ops.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The summary and the page of two recorded runs (src/test/resources/runs: the shop's catalog at 60/s for 6 s, cache
 * off, then on; trimmed to results.json, run.properties, the pool and cache meters of each /metrics scrape, and the
 * GC log).
 */
class RunReportTest {

    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(RunReportTest.class.getResource("/runs/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Output(int status, String out, String err) {}

    private static Output report(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = RunReport.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theSummaryListsEachMeasuredRequestAndTheGc() throws Exception {
        Output o = report("summary", fixture("cache-on").toString());
        assertEquals(0, o.status(), o.err());
        JsonNode results = new ObjectMapper().readTree(fixture("cache-on").resolve("results.json").toFile());
        JsonNode product = null;
        for (JsonNode r : results.path("requests")) {
            if (r.path("name").asText().equals("product")) {
                product = r;
            }
        }
        assertTrue(product != null && product.path("count").asLong() > 0, results.toString());
        String row = String.format(Locale.ROOT, "| product | %d | %.1f | %d | %d | %d | %d |",
                product.path("count").asLong(), product.path("count").asLong() / 6.0, product.path("p50").asInt(),
                product.path("p95").asInt(), product.path("p99").asInt(), product.path("max").asInt());
        assertTrue(o.out().contains(row), "expected " + row + " in\n" + o.out());
        assertTrue(!o.out().contains("warm-up: "), "the warm-up is left out:\n" + o.out());
        assertTrue(o.out().contains("GC (G1): "), o.out());
    }

    @Test
    void thePageOfTwoRunsHasEveryChartTheRatiosAndSaysWhatIsMissing() throws Exception {
        Path page = dir.resolve("compare.html");
        Output o = report("page", page.toString(), fixture("cache-off").toString(), fixture("cache-on").toString());
        assertEquals(0, o.status(), o.err());
        String html = Files.readString(page);
        assertTrue(html.contains("<h1>Load runs compared: A cache off, B cache on</h1>"), html.substring(0, 2000));
        assertTrue(html.contains("/*! https://github.com/leeoniya/uPlot (v1.6.30) */"), "uPlot is inlined");
        assertTrue(!html.contains("<script src="), "nothing is loaded from elsewhere");

        Run off = Run.read(fixture("cache-off"));
        Run on = Run.read(fixture("cache-on"));
        double a = off.request("product").path("p99").asDouble();
        double b = on.request("product").path("p99").asDouble();
        String ratio = String.format(Locale.ROOT, "<tr><td>product: p99 (ms)</td><td>%d</td><td>%d</td><td>%.2f</td></tr>",
                (long) a, (long) b, b / a);
        assertTrue(html.contains(ratio), "expected " + ratio);
        // Run A had the cache off: its cache charts say why they are empty; run B's have data.
        assertTrue(html.contains("The service&#39;s /metrics has no cache_gets_total (the cache is off, or not Weft&#39;s)."),
                "the empty cache chart of run A says why");
        double loads = on.metrics().increase("cache_loads_seconds_count", l -> true);
        assertTrue(loads > 0, "run B loaded through its cache");
        assertTrue(html.contains("<tr><td>cache loads (whole run)</td><td>–</td><td>" + String.format(Locale.ROOT, "%,d",
                (long) loads) + "</td><td>–</td></tr>"), "the cache loads row");
        int figures = count(html, "<figure class=\"chart\"");
        int plots = count(html, "<div class=\"plot\"></div>");
        int empty = count(html, "<p class=\"empty\">");
        assertEquals(figures, plots + empty);
        assertEquals(22, figures, "11 rows of two charts");
        assertEquals(plots, count(html.substring(html.indexOf("id=\"weft-charts\"")), "\"id\":\"chart-"),
                "every drawn chart has its data in the page");
    }

    @Test
    void aFolderThatIsNotARunIsASentence() throws Exception {
        Output missing = report("page", dir.resolve("p.html").toString(), dir.resolve("nope").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("nope: no such run folder"), missing.err());
        Files.createDirectories(dir.resolve("empty"));
        Output empty = report("summary", dir.resolve("empty").toString());
        assertEquals(2, empty.status());
        assertTrue(empty.err().contains("no results.json: not a run-load folder"), empty.err());
        assertEquals(2, report("page").status());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
