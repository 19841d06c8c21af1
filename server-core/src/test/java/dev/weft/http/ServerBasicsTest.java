package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ServerBasicsTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void servesWithTheJdkClient() throws Exception {
        try (TestServer t = TestServer.start((w, r) -> {
            w.headers().set("Content-Type", "text/plain");
            w.write("Hello, " + r.queryParam("name") + "!");
        })) {
            HttpResponse<String> res = CLIENT.send(HttpRequest.newBuilder(t.uri("/hi?name=Go")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode());
            assertEquals("Hello, Go!", res.body());
            assertEquals("text/plain", res.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("10", res.headers().firstValue("Content-Length").orElseThrow());
            assertNotNull(res.headers().firstValue("Date").orElse(null));
            assertEquals("weft", res.headers().firstValue("Server").orElseThrow());
        }
    }

    @Test
    void echoesPostedBodies() throws Exception {
        try (TestServer t = TestServer.start((w, r) -> w.write(r.body().readAllBytes()))) {
            String big = "x".repeat(100_000);
            HttpResponse<String> res = CLIENT.send(HttpRequest.newBuilder(t.uri("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode());
            assertEquals(big, res.body());
        }
    }

    @Test
    void keepsTheConnectionAliveAcrossRequests() throws Exception {
        try (TestServer t = TestServer.start((w, r) -> w.write(r.path())); Socket s = t.connect()) {
            for (int i = 0; i < 5; i++) {
                TestServer.send(s, "GET /n" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                String res = TestServer.readResponse(s.getInputStream());
                assertTrue(res.startsWith("HTTP/1.1 200 OK\r\n"), res);
                assertTrue(res.endsWith("\r\n\r\n/n" + i), res);
            }
        }
    }

    @Test
    void streamsLargeResponsesChunked() throws Exception {
        byte[] part = "0123456789".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        try (TestServer t = TestServer.start((w, r) -> {
            for (int i = 0; i < 50; i++) {
                w.write(part);
            }
        })) {
            HttpResponse<String> res = CLIENT.send(HttpRequest.newBuilder(t.uri("/big")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(500_000, res.body().length());
            assertEquals("chunked", res.headers().firstValue("Transfer-Encoding").orElseThrow());
        }
    }
}
