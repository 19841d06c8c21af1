package dev.weft.loadtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code bin/run-load} end to end, on the shop jar the reactor built, with runs of a few seconds: a jar it starts
 * through weft-launch, a running service given by URL with a simulation compiled outside this build, the comparison
 * of the two, the claims' simulations, and the bad command lines it must refuse before starting anything.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunLoadTest {
    private static final Path RUN_LOAD = Path.of("bin", "run-load").toAbsolutePath();
    private static final Path SHOP_JAR = Path.of("..", "shop", "target", "shop.jar").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path runs;

    private record Result(int status, String out, String err) {
        Result expect(int expected) {
            assertEquals(expected, status, "exit status; stdout:\n" + out + "\nstderr:\n" + err);
            return this;
        }
    }

    private static Result runLoad(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(RUN_LOAD.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(runs, "out", ".txt");
        Path err = Files.createTempFile(runs, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("run-load did not finish within 300 s: " + command + "\n" + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "--sim;                                    --sim needs a value (see --help)",
        "--rate 10 --frobnicate;                   unknown option --frobnicate (see --help)",
        "--jar /no/such/service.jar;               --jar /no/such/service.jar: no such file",
        "--base-url http://127.0.0.1:1;            --base-url http://127.0.0.1:1 does not answer",
        "--base-url ftp://host;                    --base-url must be an http:// or https:// URL, was 'ftp://host'",
        "--profile fast;                           --profile must be g1, latency, throughput, small or none, was 'fast'",
        "--sim not-a-class;                        --sim must be Throughput, Catalog, Orders, Mix, ProductPage, Avalanche, Penetration or a simulation's class name",
        "--env NOEQUALS;                           --env must be NAME=VALUE, was 'NOEQUALS'",
        "--classpath /no/such/dir;                 --classpath: /no/such/dir does not exist",
        "--against /no/such/run;                   --against /no/such/run is not a run folder",
        "-Dwrong;                                  -Dwrong: a simulation parameter is -Dname=value",
        "--out /;                                  --out / is not empty: give a new folder for each run",
        "compare /tmp;                             compare needs two run folders, A then B (got 1)"})
    void aBadCommandLineIsRefusedAtOnceWithASentence(String args, String sentence) throws Exception {
        Result r = runLoad(args.split(" "));
        r.expect(2);
        assertTrue(r.err().contains("run-load: " + sentence), r.err());
        assertFalse(r.out().contains("building") || r.out().contains("starting"), "nothing was started: " + r.out());
    }

    @Test
    void everyProblemIsListedTogether() throws Exception {
        Result r = runLoad("--rate", "fast", "--duration", "0", "--base-url", "http://127.0.0.1:1", "--jvm", "-Xmx1g");
        r.expect(2);
        for (String problem : List.of("--rate must be a positive number, was 'fast'",
                "--duration must be a whole number of seconds above 0, was '0'",
                "--jvm applies to --jar only: run-load does not start a --base-url service")) {
            assertTrue(r.err().contains(problem), r.err());
        }
    }

    @Test
    void helpExitsZero() throws Exception {
        Result r = runLoad("--help").expect(0);
        assertTrue(r.out().contains("--base-url URL") && r.out().contains("--jar JAR")
                && r.out().contains("run-load compare RUN_A RUN_B"), r.out());
    }

    @Test
    @Order(1)
    void aJarStartedThroughWeftLaunchKeepsItsGcLogJfrAndMetrics() throws Exception {
        Path run = runs.resolve("jar");
        // --p99 60000: the simulation's latency assertion is not what these tests are about, and a busy machine can
        // hold a request for seconds (exit status 2 would follow)
        Result r = runLoad("--jar", SHOP_JAR.toString(), "--jvm", "-Xmx256m", "--sim", "Throughput", "--rate", "20",
                "--duration", "6", "--warmup", "1", "--p99", "60000", "--name", "shop by jar", "--out", run.toString())
                .expect(0);
        assertTrue(r.out().contains("through weft-launch --profile g1"), r.out());
        assertTrue(r.out().matches("(?s).*run-load: +\\d+ s +\\d+ responses +0 failed .*"), "progress: " + r.out());

        JsonNode results = JSON.readTree(run.resolve("results.json").toFile());
        assertEquals("dev.weft.loadtests.shop.ThroughputSimulation", results.path("simulation").asText());
        for (String name : List.of("plaintext", "json")) {
            JsonNode request = request(results, name);
            assertTrue(request.path("count").asLong() >= 100, name + " at 20/s for 6 s: " + request);
            assertEquals(0, request.path("ko").asLong(), request.toString());
        }
        assertTrue(results.path("series").size() >= 6, "one point per second: " + results.path("series"));
        assertTrue(Files.size(run.resolve("service/gc.log")) > 0, "the GC log is kept");
        assertTrue(Files.size(run.resolve("service/weft.jfr")) > 0, "the JFR recording is dumped at SIGTERM");
        assertTrue(Files.readString(run.resolve("service/gc-report.txt")).contains("verdict"), "weft-gc-report ran");
        assertTrue(scrapes(run) >= 3, "/metrics polled every second");
        assertTrue(Files.readString(run.resolve("summary.md")).contains("| plaintext | "), "summary");
        assertTrue(Files.readString(run.resolve("report.html")).contains("<h1>Load run: shop by jar</h1>"));
        Properties props = properties(run);
        assertEquals("g1", props.getProperty("profile"));
        assertEquals("-Xmx256m", props.getProperty("jvm"));
        // The service's own last line, not its port: another build's run-load on this machine may take the same port
        // the moment this one frees it (run-load picks the first free one from 18200).
        String serviceLog = Files.readString(run.resolve("service/service.log"));
        assertTrue(serviceLog.contains("shop stopped: shutdown in "), "run-load stopped the service it started: "
                + serviceLog.substring(Math.max(0, serviceLog.length() - 2000)));
    }

    @Test
    @Order(2)
    void aRunningServiceByUrlWithASimulationFromOutsideTheBuildThenCompared() throws Exception {
        Path simulations = compileUserSimulation();
        int port = freePort();
        Process service = startShop(port);
        String url = "http://127.0.0.1:" + port;
        try {
            awaitReady(url, service);
            Path run = runs.resolve("url");
            Path earlier = runs.resolve("jar");
            List<String> args = new ArrayList<>(List.of("--base-url", url, "--sim", "com.example.PingSimulation",
                    "--classpath", simulations.toString(), "--rate", "20", "--duration", "4", "--warmup", "1",
                    "--p99", "60000", "--out", run.toString()));
            if (Files.isDirectory(earlier)) {
                args.addAll(List.of("--against", earlier.toString()));
            }
            runLoad(args.toArray(String[]::new)).expect(0);
            assertTrue(service.isAlive(), "run-load leaves a --base-url service running");

            JsonNode ping = request(JSON.readTree(run.resolve("results.json").toFile()), "ping");
            assertTrue(ping.path("count").asLong() >= 60, ping.toString());
            assertFalse(Files.exists(run.resolve("service")), "no service folder: run-load started nothing");
            assertTrue(scrapes(run) >= 3, "/metrics polled");
            assertEquals(url, properties(run).getProperty("target"));

            if (Files.isDirectory(earlier)) {
                assertTrue(Files.readString(run.resolve("compare.html")).contains(
                        "<h1>Load runs compared: A shop by jar, B url</h1>"), "--against writes compare.html");
                Path page = runs.resolve("compare.html");
                runLoad("compare", earlier.toString(), run.toString(), "--out", page.toString()).expect(0);
                String html = Files.readString(page);
                assertTrue(html.contains("<h1>Load runs compared: A shop by jar, B url</h1>"), "compare");
                assertTrue(html.contains("No GC log: run-load keeps one"), "run B has no GC log and says so");
            }
        } finally {
            service.destroy();
            service.waitFor(40, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(3)
    void aServiceWithoutMetricsIsSaidOnceAndTheRunGoesOn() throws Exception {
        // Not a Weft service at all: the JDK's file server, serving a file at /plaintext and nothing at /metrics.
        Path site = Files.createDirectories(runs.resolve("site"));
        Files.writeString(site.resolve("plaintext"), "Hello, World!");
        int port = freePort();
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jwebserver").toString(),
                "-b", "127.0.0.1", "-p", Integer.toString(port), "-d", site.toString(), "-o", "none")
                .redirectErrorStream(true).redirectOutput(runs.resolve("jwebserver.log").toFile()).start();
        String url = "http://127.0.0.1:" + port;
        try {
            awaitAnswer(url + "/plaintext", server);
            Path run = runs.resolve("no-metrics");
            Result r = runLoad("--base-url", url, "--sim", "com.example.PingSimulation", "--classpath",
                    compileUserSimulation().toString(), "--rate", "10", "--duration", "3", "--warmup", "0",
                    "--p99", "60000", "--out", run.toString()).expect(0);
            String said = url + "/metrics answered '404";
            assertEquals(1, r.err().split(java.util.regex.Pattern.quote(said), -1).length - 1,
                    "said once: " + r.err());
            assertFalse(Files.exists(run.resolve("metrics")), "no scrape kept");
            assertTrue(Files.readString(run.resolve("report.html")).contains(
                    "No /metrics scrape in this run: the service did not answer GET /metrics."), "the page says so");
            assertTrue(request(JSON.readTree(run.resolve("results.json").toFile()), "ping").path("count").asLong() >= 20);
        } finally {
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /**
     * The claims' simulations against the shop on its embedded defaults: each runs, checks its answers, and makes the
     * cache do what its claim is read from. The avalanche's warm-up writes each key once and the reads after it are
     * hits; the penetration's missing ids repeat, so they are loaded once each within the null TTL.
     */
    @Test
    @Order(4)
    void theClaimsSimulationsRunAgainstTheShopAndLoadWhatTheirClaimsNeed() throws Exception {
        int port = freePort();
        Process service = startShop(port);
        String url = "http://127.0.0.1:" + port;
        try {
            awaitReady(url, service);
            Path avalanche = runs.resolve("avalanche");
            runLoad("--base-url", url, "--sim", "Avalanche", "-Dkeys=40", "--rate", "20", "--warmup", "2",
                    "--duration", "3", "--p99", "60000", "--out", avalanche.toString()).expect(0);
            JsonNode results = JSON.readTree(avalanche.resolve("results.json").toFile());
            assertEquals(40, request(results, "warm-up: product page").path("count").asLong(), "each key once");
            assertTrue(request(results, "product page").path("count").asLong() >= 60, results.toString());
            assertEquals(40, lastScrape(avalanche, "cache_loads_seconds_count{cache=\"productPages\","
                    + "result=\"success\"}"), "the warm-up loaded each page once, and the reads after it were hits");

            Path penetration = runs.resolve("penetration");
            runLoad("--base-url", url, "--sim", "Penetration", "-DmissingIds=10", "--rate", "40", "--warmup", "1",
                    "--duration", "3", "--p99", "60000", "--out", penetration.toString()).expect(0);
            results = JSON.readTree(penetration.resolve("results.json").toFile());
            long missing = request(results, "product missing").path("count").asLong();
            long present = request(results, "product").path("count").asLong();
            double share = (double) missing / (missing + present);
            assertTrue(share > 0.15 && share < 0.45, "about 30 % missing ids: " + missing + " of " + (missing + present));
            double nullLoads = lastScrape(penetration, "cache_loads_seconds_count{cache=\"products\",result=\"null\"}");
            assertTrue(nullLoads >= 1 && nullLoads <= 10, missing + " reads of 10 missing ids made " + nullLoads
                    + " loads: one per id within the null TTL");

            Path page = runs.resolve("page");
            runLoad("--base-url", url, "--sim", "ProductPage", "--rate", "20", "--warmup", "1", "--duration", "3",
                    "--p99", "60000", "--out", page.toString()).expect(0);
            JsonNode pages = request(JSON.readTree(page.resolve("results.json").toFile()), "product page");
            assertTrue(pages.path("count").asLong() >= 60 && pages.path("ko").asLong() == 0, pages.toString());
        } finally {
            service.destroy();
            service.waitFor(40, TimeUnit.SECONDS);
        }
    }

    /** The value of {@code series} (name and labels, as the service writes them) in the run's last scrape. */
    private static double lastScrape(Path run, String series) throws IOException {
        Path last;
        try (Stream<Path> files = Files.list(run.resolve("metrics"))) {
            last = files.filter(f -> f.toString().endsWith(".prom")).max(Path::compareTo).orElseThrow();
        }
        for (String line : Files.readAllLines(last)) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + series + " in " + last);
    }

    /** The shop jar on its embedded defaults, on {@code port}, its output in the runs' {@code shop.log}. */
    private static Process startShop(int port) throws IOException {
        ProcessBuilder shop = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", SHOP_JAR.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(runs.resolve("shop.log").toFile()));
        shop.environment().put("PORT", Integer.toString(port));
        return shop.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A simulation written the way a user of this module would, compiled into a directory of its own. */
    private static Path compileUserSimulation() throws IOException {
        Path src = runs.resolve("user-src/com/example/PingSimulation.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package com.example;

                import static io.gatling.javaapi.core.CoreDsl.exec;
                import static io.gatling.javaapi.http.HttpDsl.http;
                import static io.gatling.javaapi.http.HttpDsl.status;

                import dev.weft.loadtests.Load;
                import io.gatling.javaapi.core.ChainBuilder;
                import io.gatling.javaapi.core.Simulation;

                public final class PingSimulation extends Simulation {
                    static ChainBuilder ping(String prefix) {
                        return exec(http(prefix + "ping").get("/plaintext").check(status().is(200)));
                    }

                    {
                        Load load = Load.fromSystemProperties();
                        setUp(load.inject("ping", PingSimulation::ping))
                                .protocols(Load.http(Load.baseUrl()))
                                .assertions(load.assertions("ping"));
                    }
                }
                """);
        Path classes = runs.resolve("user-classes");
        Files.createDirectories(classes);
        String classpath = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator
                + Files.readString(Path.of("target", "gatling.classpath")).trim();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-proc:none", "-cp", classpath, "-d", classes.toString(),
                src.toString());
        assertEquals(0, status, "the user simulation compiles against Load and Gatling");
        return classes;
    }

    private static JsonNode request(JsonNode results, String name) {
        for (JsonNode r : results.path("requests")) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no request " + name + " in " + results.path("requests"));
    }

    private static long scrapes(Path run) throws IOException {
        try (Stream<Path> files = Files.list(run.resolve("metrics"))) {
            return files.filter(f -> f.toString().endsWith(".prom")).count();
        }
    }

    private static Properties properties(Path run) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(run.resolve("run.properties"), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }

    private static void awaitAnswer(String url, Process service) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertTrue(service.isAlive(), "the server exited");
            try {
                client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                service.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
        throw new AssertionError(url + " did not answer within 60 s");
    }

    private static void awaitReady(String url, Process service) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertTrue(service.isAlive(), "the shop exited; see " + runs.resolve("shop.log"));
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(url + "/health/ready")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            service.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("the shop was not ready within 90 s");
    }
}
