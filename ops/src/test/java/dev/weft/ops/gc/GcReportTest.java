package dev.weft.ops.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reports on GC logs that a child JVM writes under each collector while running {@link AllocationWorkload}. */
class GcReportTest {

    private static final long ALLOCATE = 400L << 20;

    @TempDir
    Path dir;

    /** Runs the workload under a collector with unified GC logging; returns the log and the bytes it allocated. */
    private Run runWorkload(String collectorFlag) throws Exception {
        Path log = dir.resolve("gc.log");
        Path classes = Path.of(AllocationWorkload.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                collectorFlag, "-Xmx128m", "-XX:ActiveProcessorCount=2",
                "-Xlog:gc*:file=" + log + ":time,uptime,level,tags",
                "-cp", classes.toString(), AllocationWorkload.class.getName(), Long.toString(ALLOCATE))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "workload did not finish");
        assertEquals(0, p.exitValue(), out);
        return new Run(log, Long.parseLong(out.split(" ")[0]));
    }

    private record Run(Path log, long allocated) {
    }

    private record Output(int status, String out, String err) {
    }

    private static Output report(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = GcReport.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"-XX:+UseG1GC, G1, g1", "-XX:+UseZGC, ZGC, latency", "-XX:+UseParallelGC, PARALLEL, throughput",
            "-XX:+UseSerialGC, SERIAL, small"})
    void reportsEachCollectorsLog(String flag, String collector, String profile) throws Exception {
        Run run = runWorkload(flag);
        Output o = report(run.log().toString(), "--json");
        assertTrue(o.status() == 0 || o.status() == 1, o.err());
        JsonNode json = new ObjectMapper().readTree(o.out());

        assertEquals(collector, json.get("collector").asText());
        assertEquals(profile, json.get("profile").asText(), "the goal defaults to the collector's profile");
        assertTrue(json.get("pauses").asInt() > 0, "no pauses found: " + o.out());
        assertTrue(json.get("collections").asInt() > 0, o.out());
        JsonNode pause = json.get("pauseMillis");
        double p50 = pause.get("p50").asDouble();
        double p99 = pause.get("p99").asDouble();
        double max = pause.get("max").asDouble();
        assertTrue(p50 > 0 && p50 <= p99 && p99 <= max, o.out());
        assertTrue(pause.get("total").asDouble() >= max, o.out());
        double throughput = json.get("throughputPercent").asDouble();
        assertTrue(throughput > 0 && throughput < 100, o.out());
        // The allocation the log shows must account for what the workload allocated: everything but what was
        // allocated after the last collection (at most the young generation of a 128 MB heap), give or take.
        // ZGC's figure is looser: its log gives the young generation's allocation per cycle, and cycles overlap (minor
        // collections run inside a major one's old phase) while the application allocates, so the heap's growth
        // between them is an estimate; on this workload it read 0.91x to 1.27x of the allocation (7 runs, 2026-12-06,
        // 2-core machine at load 6).
        double allocatedMB = json.get("allocationMBps").asDouble() * json.get("spanSeconds").asDouble();
        double expectedMB = run.allocated() / 1e6;
        double over = collector.equals("ZGC") ? 1.4 : 1.25;
        assertTrue(allocatedMB > expectedMB * 0.6 && allocatedMB < expectedMB * over,
                "allocation " + allocatedMB + " MB from the log vs " + expectedMB + " MB allocated: " + o.out());
        assertTrue(json.get("promotionMBps").asDouble() > 0, "the live window must be promoted: " + o.out());
        assertEquals(o.status() == 0, json.get("verdict").get("met").asBoolean());

        Output text = report(run.log().toString(), "--profile", profile);
        assertEquals(o.status(), text.status());
        assertTrue(text.out().contains("pauses       p50 "), text.out());
        assertTrue(text.out().contains("verdict      " + (o.status() == 0 ? "MET" : "NOT MET")), text.out());
    }

    @Test
    void verdictFollowsTheGoalAndTheExitStatusTellsCi() throws Exception {
        Path log = runWorkload("-XX:+UseSerialGC").log();

        Output unreachable = report(log.toString(), "--goal-pause-ms", "0.000001");
        assertEquals(1, unreachable.status(), unreachable.out());
        assertTrue(unreachable.out().contains("verdict      NOT MET: p99 pause "), unreachable.out());
        assertTrue(unreachable.out().contains("> 0.000001 ms"), unreachable.out());

        Output generous = report(log.toString(), "--goal-pause-ms", "100000", "--json");
        assertEquals(0, generous.status(), generous.out());
        assertTrue(generous.out().contains("\"verdict\":{\"met\":true"), generous.out());

        Output throughput = report(log.toString(), "--profile", "throughput", "--goal-throughput", "99.99999");
        assertEquals(1, throughput.status(), throughput.out());
        assertTrue(throughput.out().contains("< 100.0 %"), throughput.out());
    }

    @Test
    void refusesWhatItCannotRead() throws Exception {
        Path plain = dir.resolve("plain.txt");
        Files.writeString(plain, "hello\n");
        Output notALog = report(plain.toString());
        assertEquals(2, notALog.status());
        assertTrue(notALog.err().contains("not a unified GC log"), notALog.err());

        Path noUptime = dir.resolve("no-uptime.log");
        Files.write(noUptime, List.of("[info][gc] Using G1", "[info][gc] GC(0) Pause Young (Normal) 4M->1M(8M) 1.0ms"));
        Output withoutUptime = report(noUptime.toString());
        assertEquals(2, withoutUptime.status());
        assertTrue(withoutUptime.err().contains("uptime"), withoutUptime.err());

        Output bad = report("--goal-pause-ms", "soon", "--frobnicate", dir.resolve("missing.log").toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--goal-pause-ms: must be a positive number, was 'soon'"), bad.err());
        assertTrue(bad.err().contains("--frobnicate: unknown option"), bad.err());
        assertTrue(bad.err().contains("missing.log: no such readable file"), bad.err());

        Path g1 = dir.resolve("g1.log");
        Files.write(g1, List.of("[0.010s][info][gc] Using G1"));
        Output unknownProfile = report(g1.toString(), "--profile", "fast");
        assertEquals(2, unknownProfile.status());
        assertTrue(unknownProfile.err().contains("unknown profile 'fast'"), unknownProfile.err());
    }

    @org.junit.jupiter.api.Test
    void helpPrintsTheUsageAndExitsZero() {
        Output o = report("--help");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().startsWith("usage: weft-gc-report FILE... [--json | --html]"), o.out());
        Output bad = report("--json", "--html", "gc.log");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--html: choose one of --json and --html"), bad.err());
    }

    @org.junit.jupiter.api.Test
    void htmlDrawsEveryPauseAndTheHeapAroundEachCollection() throws Exception {
        Run run = runWorkload("-XX:+UseSerialGC");
        Output o = report(run.log().toString(), "--html");
        assertTrue(o.status() == 0 || o.status() == 1, o.err());
        String html = o.out();
        assertTrue(html.contains("<figcaption>GC pauses (Serial)</figcaption>"), html);
        assertTrue(html.contains("<figcaption>Heap before and after each GC</figcaption>"), html);
        GcLog log = GcLogParser.parse(List.of(run.log()));
        assertTrue(log.jvmStartEpochMillis() > 0, "the time decoration gives the wall clock");
        assertEquals(log.pauses().size(), log.heap().size(), "Serial states the heap on every pause line");
        String data = html.substring(html.indexOf("id=\"weft-charts\""));
        // The pause chart's x values are the pauses' uptimes, one per pause.
        String xs = data.substring(data.indexOf("\"data\":[[") + 9, data.indexOf(']', data.indexOf("\"data\":[[")));
        assertEquals(log.pauses().size(), xs.split(",").length, xs);
    }
}
