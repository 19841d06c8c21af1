package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class MetricsTest {
    @Test
    void recordsRequestsByRouteAndStatusAndCountsBytes() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestServer t = TestServer.start((w, r) -> {
            if (r.path().startsWith("/items/")) {
                r.setPattern("GET /items/{id}");
                w.write("item");
            } else {
                w.writeHeader(404);
            }
        }, Map.of(), registry)) {
            t.exchange("GET /items/1 HTTP/1.1\r\nHost: h\r\n\r\nGET /items/2 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            t.exchange("GET /nothing HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            t.exchange("GET / HTTP/1.1\r\n\r\n");
            assertEquals(2, registry.get("http.server.requests").tags("method", "GET", "uri", "GET /items/{id}",
                    "status", "200").timer().count());
            assertEquals(1, registry.get("http.server.requests").tags("uri", "NOT_FOUND", "status", "404")
                    .timer().count());
            assertEquals(1, registry.get("http.server.requests").tags("uri", "UNMATCHED", "status", "400")
                    .timer().count());
            assertTrue(registry.get("http.server.bytes.in").functionCounter().count() > 100);
            assertTrue(registry.get("http.server.bytes.out").functionCounter().count() > 100);
            assertEquals(0, registry.get("http.server.requests.active").gauge().value());
            assertEquals(0, registry.get("http.server.connections.rejected").functionCounter().count());
        }
    }

    @Test
    void aRegistryThatComesLateGetsEveryRequestServedBeforeIt() throws Exception {
        CompletableFuture<MeterRegistry> later = new CompletableFuture<>();
        Handler item = (w, r) -> {
            r.setPattern("GET /items/{id}");
            w.write("item");
        };
        try (TestServer t = new TestServer(new Server(TestServer.config(Map.of()), item, later).start())) {
            String served = t.exchange("GET /items/1 HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "GET /items/2 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            assertTrue(served.startsWith("HTTP/1.1 200"), served);

            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            later.complete(registry);
            var timer = registry.get("http.server.requests").tags("uri", "GET /items/{id}", "status", "200");
            assertEquals(2, timer.timer().count());
            assertTrue(registry.get("http.server.bytes.in").functionCounter().count() > 50);
            assertTrue(registry.get("http.server.bytes.out").functionCounter().count() > 50);
            assertEquals(0, registry.get("http.server.requests.active").gauge().value());

            t.exchange("GET /items/3 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            assertEquals(3, timer.timer().count());
        }
    }

    @Test
    void aRegistryThatFailsLeavesTheServerServing() throws Exception {
        CompletableFuture<MeterRegistry> later = new CompletableFuture<>();
        try (TestServer t = new TestServer(new Server(TestServer.config(Map.of()), (w, r) -> w.write("ok"), later)
                .start())) {
            String before = t.exchange("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            later.completeExceptionally(new IllegalStateException("no registry"));
            String after = t.exchange("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            assertTrue(before.startsWith("HTTP/1.1 200") && before.endsWith("ok"), before);
            assertTrue(after.startsWith("HTTP/1.1 200") && after.endsWith("ok"), after);
        }
    }
}
