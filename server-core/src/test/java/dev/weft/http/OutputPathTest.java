package dev.weft.http;

import static dev.weft.http.TestServer.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.weft.http.codec.ParseException;
import dev.weft.http.codec.ResponseHead.Framing;
import dev.weft.testkit.Eventually;

import dev.weft.testkit.Seeds;

/**
 * The output path's hidden regressions, each read back with a strict client (the codec's response parser and chunk
 * decoder, {@link ResponseReader}): pipelined batches answered in order whatever mix of responses they hold,
 * responses cut short, HEAD with a handler that writes a body, bodies and heads around every buffer boundary, and a
 * client that stops reading in the middle of a batched write.
 */
class OutputPathTest {
    private static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start(OutputPathTest::serve);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    /**
     * {@code /size/N[/K]}: N bytes of {@link #body}, in one write or writes of K; {@code /flush/N}: N bytes with a
     * flush in the middle; {@code /cut/N}: N bytes, then the handler throws; {@code /short}: declares 100 bytes and
     * writes 10; {@code /header/N}: a header of N bytes; {@code /no-content}: 204; {@code /write-then-read}: commits
 * and writes, then reads the request body and echoes it. Every answer carries the request's
     * {@code id} query in {@code X-Id}.
     */
    private static void serve(ResponseWriter w, Request r) throws IOException {
        String id = r.queryParam("id");
        if (id != null) {
            w.headers().set("X-Id", id);
        }
        String[] p = r.path().split("/");
        switch (p[1]) {
            case "size" -> {
                byte[] b = body(Integer.parseInt(p[2]));
                int piece = p.length > 3 ? Integer.parseInt(p[3]) : Math.max(1, b.length);
                for (int off = 0; off < b.length; off += piece) {
                    w.write(b, off, Math.min(piece, b.length - off));
                }
                if (b.length == 0) {
                    w.write(b);
                }
            }
            case "flush" -> {
                byte[] b = body(Integer.parseInt(p[2]));
                w.write(b, 0, b.length / 2);
                w.flush();
                w.write(b, b.length / 2, b.length - b.length / 2);
            }
            case "cut" -> {
                w.write(body(Integer.parseInt(p[2])));
                throw new IllegalStateException("failing after the head went out");
            }
            case "short" -> {
                w.headers().set("Content-Length", "100");
                w.write(body(10));
            }
            case "header" -> {
                w.headers().set("X-Big", "h".repeat(Integer.parseInt(p[2])));
                w.write("ok");
            }
            case "no-content" -> w.writeHeader(204);
            case "write-then-read" -> {
                w.write("body: ");
                w.write(r.body().readAllBytes());
            }
            default -> w.writeHeader(404);
        }
    }

    /** N bytes that differ from their neighbours, so a byte out of place shows. */
    static byte[] body(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + (i * 7 + i / 26) % 26);
        }
        return b;
    }

    /** One request of a batch and what its answer must be. */
    private record Expected(String method, String path, int status, byte[] body, Framing framing) {}

    @Test
    void answersAPipelinedBatchInOrderWhateverItHolds() throws Exception {
        long seed = Seeds.seed("OutputPathTest.answersAPipelinedBatchInOrderWhateverItHolds");
        Random random = new Random(seed);
        List<Expected> batch = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int size = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(64);
                case 1 -> Response.BODY_BUFFER - 2 + random.nextInt(5);
                case 2 -> random.nextInt(40_000);
                default -> 13;
            };
            batch.add(switch (random.nextInt(6)) {
                case 0 -> new Expected("GET", "/size/" + size, 200, body(size), framingOf(size));
                case 1 -> new Expected("GET", "/size/" + size + "/" + (1 + random.nextInt(3000)), 200, body(size),
                        framingOf(size));
                case 2 -> new Expected("GET", "/flush/" + size, 200, body(size), Framing.CHUNKED);
                case 3 -> new Expected("HEAD", "/size/" + size, 200, new byte[0], Framing.NONE);
                case 4 -> new Expected("GET", "/no-content", 204, new byte[0], Framing.NONE);
                default -> new Expected("GET", "/missing", 404, new byte[0], Framing.LENGTH);
            });
        }
        StringBuilder raw = new StringBuilder();
        for (int i = 0; i < batch.size(); i++) {
            Expected e = batch.get(i);
            raw.append(e.method()).append(' ').append(e.path()).append("?id=").append(i)
                    .append(" HTTP/1.1\r\nHost: h\r\n\r\n");
        }
        try (Socket s = t.connect()) {
            send(s, raw.toString());
            ResponseReader reader = new ResponseReader(s.getInputStream());
            for (int i = 0; i < batch.size(); i++) {
                Expected e = batch.get(i);
                ResponseReader.Exchange x = reader.nextFinal(e.method());
                String what = i + ": " + e.method() + " " + e.path() + ", seed " + seed;
                assertEquals(String.valueOf(i), x.headers().get("X-Id"), "answered out of order at " + what);
                assertEquals(e.status(), x.status(), what);
                assertEquals(e.framing(), x.head().framing(), what);
                assertTrue(x.complete(), what);
                assertArrayEquals(e.body(), x.body(), what);
            }
            assertEquals(0, reader.leftover(), "no bytes beyond the last response");
        }
    }

    private static Framing framingOf(int size) {
        return size <= Response.BODY_BUFFER ? Framing.LENGTH : Framing.CHUNKED;
    }

    @Test
    void aResponseHeldWhileItsHandlerWaitsForTheBodyStaysBehindTheCompleteOnes() throws Exception {
        try (Socket s = t.connect()) {
            send(s, "GET /size/10 HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "POST /write-then-read HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n");
            ResponseReader reader = new ResponseReader(s.getInputStream());
            assertArrayEquals(body(10), reader.next("GET").body(),
                    "the first answer goes out while the second handler waits for its body");
            send(s, "hello");
            ResponseReader.Exchange x = reader.next("POST");
            assertEquals(Framing.LENGTH, x.head().framing(), "the second head waited for its framing");
            assertEquals("body: hello", x.text());
        }
    }

    @Test
    void aChunkedResponseCutShortHasNoLastChunk() throws Exception {
        for (int size : new int[] {Response.BODY_BUFFER + 1, 100_000}) {
            try (Socket s = t.connect()) {
                send(s, "GET /cut/" + size + " HTTP/1.1\r\nHost: h\r\n\r\nGET /size/5 HTTP/1.1\r\nHost: h\r\n\r\n");
                ResponseReader reader = new ResponseReader(s.getInputStream());
                ResponseReader.Exchange x = reader.next("GET");
                assertEquals(Framing.CHUNKED, x.head().framing());
                assertFalse(x.complete(), "a strict client must see that the body was cut, not a complete one");
                assertTrue(reader.atEnd(), "the connection closes, and the next request is not answered");
            }
        }
    }

    @Test
    void aResponseShorterThanItsDeclaredLengthClosesTheConnection() throws Exception {
        try (Socket s = t.connect()) {
            send(s, "GET /short HTTP/1.1\r\nHost: h\r\n\r\nGET /size/5 HTTP/1.1\r\nHost: h\r\n\r\n");
            ResponseReader reader = new ResponseReader(s.getInputStream());
            ResponseReader.Exchange x = reader.next("GET");
            assertEquals(100, x.head().contentLength());
            assertFalse(x.complete());
            assertTrue(reader.atEnd());
        }
    }

    @Test
    void headGetsNoBodyWhateverTheHandlerWrites() throws Exception {
        try (Socket s = t.connect()) {
            send(s, "HEAD /size/20000 HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "HEAD /size/20000/333 HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "HEAD /flush/20000 HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "HEAD /cut/100 HTTP/1.1\r\nHost: h\r\n\r\n");
            ResponseReader reader = new ResponseReader(s.getInputStream());
            for (int i = 0; i < 2; i++) {
                ResponseReader.Exchange x = reader.next("HEAD");
                assertEquals("20000", x.headers().get("Content-Length"), "the length GET would have");
                assertEquals(0, x.body().length);
            }
            ResponseReader.Exchange flushed = reader.next("HEAD");
            assertEquals(200, flushed.status());
            assertNull(flushed.headers().get("Transfer-Encoding"), "nothing follows, so no framing is announced");
            assertNull(flushed.headers().get("Content-Length"), "the length was not known when the head went out");
            ResponseReader.Exchange failed = reader.next("HEAD");
            assertEquals(500, failed.status(), "the head was still held, so the failure can be answered");
            assertTrue(reader.atEnd(), "no byte of any body followed the heads");
        }
    }

    @Test
    void bodiesAndHeadsAroundEveryBufferBoundaryArriveWhole() throws Exception {
        int buffer = Response.BODY_BUFFER;
        int pool = 16 * 1024;
        int[] sizes = {0, 1, buffer - 1, buffer, buffer + 1, pool - 300, pool - 1, pool, pool + 1, 2 * pool + 5,
            1_000_003};
        StringBuilder raw = new StringBuilder();
        List<Expected> batch = new ArrayList<>();
        for (int size : sizes) {
            for (String pieces : new String[] {"", "/1000", "/7"}) {
                if (pieces.equals("/7") && size > 100_000) {
                    continue;
                }
                batch.add(new Expected("GET", "/size/" + size + pieces, 200, body(size), framingOf(size)));
            }
        }
        // a held response that does not fit behind a complete one still waiting (8040 bytes and a head of about
        // 90 stay under the 8 KiB that are written at once): the complete one must go out first
        for (String second : new String[] {"/size/" + buffer, "/size/" + buffer + "/1000", "/size/" + buffer + "/1"}) {
            batch.add(new Expected("GET", "/size/8040", 200, body(8040), Framing.LENGTH));
            batch.add(new Expected("GET", second, 200, body(buffer), Framing.LENGTH));
        }
        for (int header : new int[] {pool - 200, pool, 3 * pool}) {
            batch.add(new Expected("GET", "/header/" + header, 200, "ok".getBytes(), Framing.LENGTH));
        }
        for (Expected e : batch) {
            raw.append("GET ").append(e.path()).append(" HTTP/1.1\r\nHost: h\r\n\r\n");
        }
        try (Socket s = t.connect()) {
            send(s, raw.toString());
            ResponseReader reader = new ResponseReader(s.getInputStream());
            for (Expected e : batch) {
                ResponseReader.Exchange x = reader.next("GET");
                assertEquals(200, x.status(), e.path());
                assertEquals(e.framing(), x.head().framing(), e.path());
                assertTrue(x.complete(), e.path());
                assertArrayEquals(e.body(), x.body(), e.path());
                if (e.path().startsWith("/header/")) {
                    assertEquals(Integer.parseInt(e.path().substring(8)), x.headers().get("X-Big").length());
                }
            }
        }
    }

    @Test
    void aClientThatStopsReadingInTheMiddleOfABatchedWriteIsCutOff() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestServer slow = TestServer.start(OutputPathTest::serve, Map.of("writeTimeout", Duration.ofMillis(300)),
                registry)) {
            Socket s = new Socket();
            s.setReceiveBufferSize(4096);
            s.connect(slow.server.address());
            // 2000 pipelined requests of 4 KB answers (8 MB, more than the kernel buffers on both sides hold): they
            // leave in batched writes of 8 KiB and more until one blocks, since this client never reads.
            send(s, "GET /size/4000 HTTP/1.1\r\nHost: h\r\n\r\n".repeat(2000));
            Eventually.await(Duration.ofSeconds(10), "the blocked connection closed by writeTimeout",
                    () -> answered(registry) >= 3
                            && registry.get("http.server.connections.active").gauge().value() == 0);
            long answered = answered(registry);
            assertTrue(answered < 2000, "cut off during the batch, after " + answered + " answers");
            s.close();
            try (Socket fresh = slow.connect()) {
                send(fresh, "GET /size/3 HTTP/1.1\r\nHost: h\r\n\r\n");
                assertEquals(200, new ResponseReader(fresh.getInputStream()).next("GET").status(),
                        "the server keeps serving");
            }
        }
    }

    private static long answered(SimpleMeterRegistry registry) {
        var timer = registry.find("http.server.requests").timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void aStrictClientReadsTheServersErrorAnswers() throws IOException, ParseException {
        try (Socket s = t.connect()) {
            send(s, "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n");
            ResponseReader reader = new ResponseReader(s.getInputStream());
            ResponseReader.Exchange x = reader.next("GET");
            assertEquals(400, x.status());
            assertTrue(x.complete());
            assertFalse(x.head().keepAlive());
            assertTrue(reader.atEnd());
        }
    }
}
