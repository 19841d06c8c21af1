package dev.weft.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import dev.weft.http.ServerConfig;
import dev.weft.http.ServeMux;
import dev.weft.http.ShutdownReport;

/** The shop's HTTP side on a real server and port, through the JDK HttpClient. */
class ShopServerTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static MetricsEndpoint metrics;
    private static ShopServer shop;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        metrics = new MetricsEndpoint();
        metrics.bindJvmMeters();
        ShopComponent failing = new ShopComponent() {
            @Override
            public void register(ServeMux mux) {
                mux.handle("GET /extra/{name}", (w, r) -> w.write("extra " + r.pathValue("name")));
            }

            @Override
            public void addReadinessChecks(dev.weft.http.health.Health health) {
                health.addCheck("always", Duration.ofSeconds(1), () -> {});
            }
        };
        shop = new ShopServer(ServerConfig.defaults().toBuilder().host("127.0.0.1").port(0).build(),
                metrics.registry(), List.of(new HelloRoutes(), metrics, failing)).start();
        base = "http://127.0.0.1:" + shop.address().getPort();
    }

    @AfterAll
    static void stop() {
        if (shop != null) {
            ShutdownReport report = shop.shutdown(Duration.ofSeconds(5));
            assertTrue(report.graceful(), report::toString);
            assertFalse(shop.health().isReady(), "readiness turned off by shutdown");
            metrics.close();
        }
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void plaintext() throws Exception {
        HttpResponse<String> r = send("GET", "/plaintext");
        assertEquals(200, r.statusCode());
        assertEquals("Hello, World!", r.body());
        assertEquals("text/plain", header(r, "Content-Type"));
        assertEquals("13", header(r, "Content-Length"));
    }

    @Test
    void json() throws Exception {
        HttpResponse<String> r = send("GET", "/json");
        assertEquals(200, r.statusCode());
        assertEquals("{\"message\":\"Hello, World!\"}", r.body());
        assertEquals("application/json", header(r, "Content-Type"));
    }

    @Test
    void headIsAnsweredWithoutABody() throws Exception {
        HttpResponse<String> r = send("HEAD", "/plaintext");
        assertEquals(200, r.statusCode());
        assertEquals("", r.body());
    }

    @Test
    void healthProbesIncludeTheComponentsChecks() throws Exception {
        HttpResponse<String> live = send("GET", "/health/live");
        assertEquals(200, live.statusCode());
        assertEquals("{\"status\":\"UP\"}", live.body());
        HttpResponse<String> ready = send("GET", "/health/ready");
        assertEquals(200, ready.statusCode());
        assertTrue(ready.body().matches("\\{\"status\":\"UP\",\"checks\":\\{\"always\":\\{\"status\":\"UP\","
                + "\"durationMs\":\\d+}}}"), ready.body());
    }

    @Test
    void componentsAddTheirRoutes() throws Exception {
        assertEquals("extra shoes", send("GET", "/extra/shoes").body());
    }

    @Test
    void metricsArePrometheusTextWithServerAndJvmMeters() throws Exception {
        send("GET", "/plaintext");
        HttpResponse<String> r = send("GET", "/metrics");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", header(r, "Content-Type"));
        String body = r.body();
        for (String meter : List.of("http_server_requests_seconds_count{", "uri=\"GET /plaintext\"",
                "jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads", "process_cpu_usage",
                "process_uptime_seconds", "process_files_open_files", "http_server_connections_active")) {
            assertTrue(body.contains(meter), () -> meter + " missing from /metrics");
        }
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws Exception {
        assertEquals(404, send("GET", "/nothing").statusCode());
        HttpResponse<String> r = send("POST", "/plaintext");
        assertEquals(405, r.statusCode());
        assertEquals("GET, HEAD", header(r, "Allow"));
    }
}
