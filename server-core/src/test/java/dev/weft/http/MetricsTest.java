package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

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
            assertTrue(registry.get("http.server.bytes.in").counter().count() > 100);
            assertTrue(registry.get("http.server.bytes.out").counter().count() > 100);
            assertEquals(0, registry.get("http.server.requests.active").gauge().value());
            assertEquals(0, registry.get("http.server.connections.rejected").counter().count());
        }
    }
}
