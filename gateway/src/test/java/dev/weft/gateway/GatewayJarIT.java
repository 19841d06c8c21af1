package dev.weft.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.weft.http.Server;

import dev.weft.testkit.Eventually;

/**
 * {@code target/gateway.jar}, the runnable jar the build makes, run as a process ({@code java -jar}): it forwards,
 * publishes {@code /metrics} in Prometheus' text format with the gateway's and the JVM's meters, reports in
 * {@code /health/ready} whether its upstream group has a live instance, and stops gracefully on SIGTERM. Runs in
 * the integration-test phase, after the jar is packaged.
 */
class GatewayJarIT {
    private static final Path JAR = Path.of("target", "gateway.jar");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    /** A sample line of the text format: a metric name, labels, a value (and no timestamp: Micrometer writes none). */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*})? "
                    + "(-?[0-9.]+(E-?[0-9]+)?|NaN|[+-]Inf)");

    @TempDir
    Path dir;

    private final Upstreams upstreams = new Upstreams();
    private Process gateway;

    @AfterEach
    void tearDown() throws Exception {
        if (gateway != null) {
            gateway.destroyForcibly();
        }
        upstreams.close();
    }

    @Test
    void servesMetricsAndReadinessAndStopsOnSigterm() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is built by the package phase");
        Server a = upstreams.weft((w, r) -> w.write("a " + r.target()));
        Server b = upstreams.weft((w, r) -> w.write("b " + r.target()));
        int portA = a.address().getPort();
        Path config = Files.writeString(dir.resolve("gateway.yaml"), """
                server:
                  host: 127.0.0.1
                gateway:
                  routes:
                    - pattern: /api/
                      upstream: shop
                      stripPrefix: /api
                  upstreams:
                    shop:
                      instances: [%s, %s]
                      healthCheck: {interval: 100ms, timeout: 500ms}
                """.formatted(Upstreams.hostPort(a), Upstreams.hostPort(b)));
        Path output = dir.resolve("gateway.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", JAR.toString(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("WEFT_"));
        pb.environment().put("PORT", "0");
        gateway = pb.start();
        int port = Integer.parseInt(await(output, Pattern.compile("gateway listening on .*:(\\d+)$")).group(1));
        String base = "http://127.0.0.1:" + port;
        await(base + "/health/ready", r -> r.statusCode() == 200);

        assertTrue(get(base + "/api/products").body().matches("[ab] /products"));
        HttpResponse<String> metrics = get(base + "/metrics");
        assertEquals(200, metrics.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.headers().firstValue("Content-Type").orElse(""));
        List<String> lines = metrics.body().lines().toList();
        for (String line : lines) {
            assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ") || SAMPLE.matcher(line).matches(),
                    "not a line of Prometheus' text format: " + line);
        }
        assertTrue(lines.contains("# TYPE gateway_requests_seconds summary"), metrics.body());
        assertTrue(lines.contains("gateway_requests_seconds_count{route=\"/api/\",status=\"200\",upstream=\"shop\"} 1"),
                metrics.body());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("jvm_memory_used_bytes{")), "JVM meters: " + metrics.body());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("jvm_gc_")), "GC meters: " + metrics.body());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("process_uptime_seconds ")), metrics.body());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("http_server_requests_seconds_count{")),
                "the server's own meters: " + metrics.body());

        a.shutdown(Duration.ZERO);
        b.shutdown(Duration.ZERO);
        HttpResponse<String> down = await(base + "/health/ready", r -> r.statusCode() == 503);
        assertTrue(down.body().contains("\"upstream shop\":{\"status\":\"DOWN\""), down.body());
        assertTrue(down.body().contains("upstream shop: no live instance of 2"), down.body());
        upstreams.weft((w, r) -> w.write("a is back"), portA);
        await(base + "/health/ready", r -> r.statusCode() == 200);
        assertEquals("a is back", get(base + "/api/").body());

        gateway.destroy(); // SIGTERM
        assertTrue(gateway.waitFor(30, TimeUnit.SECONDS), "the gateway exits on SIGTERM");
        await(output, Pattern.compile("gateway stopped: shutdown in \\d+ ms"));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code url} until the response satisfies {@code until}, for at most 60 s; returns that response. */
    private static HttpResponse<String> await(String url, Predicate<HttpResponse<String>> until) {
        return Eventually.until(Duration.ofSeconds(60), url + " satisfies the condition", () -> get(url), until,
                last -> last.statusCode() + " " + last.body());
    }

    /** The first line of {@code output} matching {@code pattern}, waiting up to 60 s for it to be written. */
    private static Matcher await(Path output, Pattern pattern) {
        List<String> lines = Eventually.until(Duration.ofSeconds(60), "a line matching " + pattern,
                () -> Files.readAllLines(output, StandardCharsets.UTF_8),
                all -> all.stream().anyMatch(line -> pattern.matcher(line).find()), all -> String.join("\n", all));
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        throw new AssertionError("unreachable: a line matched");
    }
}
