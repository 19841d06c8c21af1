package dev.weft.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.weft.http.Handler;
import dev.weft.http.Server;
import dev.weft.testkit.Eventually;

/** The forwarding path against real upstream servers on loopback. */
class ProxyTest {
    private Harness h;
    private Upstreams upstreams;
    /** Holds the slow and stalling upstreams' handlers until the test ends, so that none outlives it. */
    private final CountDownLatch testOver = new CountDownLatch(1);

    @BeforeEach
    void setUp() {
        h = new Harness();
        upstreams = h.upstreams;
    }

    @AfterEach
    void tearDown() throws Exception {
        testOver.countDown();
        h.close();
    }

    /** An upstream that names itself and echoes what it received. */
    private static Handler named(String name, AtomicInteger hits) {
        return (w, r) -> {
            hits.incrementAndGet();
            w.headers().set("X-Upstream", name);
            StringBuilder sb = new StringBuilder(name).append(' ').append(r.method()).append(' ').append(r.target())
                    .append('\n');
            r.headers().forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
            w.write(sb.toString());
        };
    }

    /** A gateway for the {@code gateway} section {@code yaml}, formatted with {@code args}; its base URL. */
    private String start(String yaml, Object... args) throws IOException {
        return h.start(yaml.formatted(args));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return h.get(url);
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return h.post(url, body);
    }

    private double counter(String name, String... tags) {
        return h.counter(name, tags);
    }

    /** The gateway's instance {@code host:port}. */
    private dev.weft.gateway.balance.Instance instance(String hostPort) {
        return h.gateway().instances().stream().filter(i -> i.name().equals(hostPort)).findFirst()
                .orElseThrow(() -> new AssertionError("no instance " + hostPort + " in " + h.gateway().instances()));
    }

    @Test
    void routesByPatternStripsPrefixAndSetsForwardedHeaders() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        Server a = upstreams.weft(named("a", hits));
        String base = start("""
                routes: [{pattern: /api/, upstream: shop, stripPrefix: /api}]
                upstreams: {shop: {instances: [%s]}}
                """, Upstreams.hostPort(a));

        HttpResponse<String> r = get(base + "/api/products/7?color=red");
        assertEquals(200, r.statusCode());
        assertEquals("a", r.headers().firstValue("X-Upstream").orElseThrow());
        String seen = r.body();
        assertTrue(seen.startsWith("a GET /products/7?color=red\n"), seen);
        assertTrue(seen.contains("X-Forwarded-For: 127.0.0.1\n"), seen);
        assertTrue(seen.contains("X-Forwarded-Proto: http\n"), seen);
        assertTrue(seen.contains("X-Forwarded-Host: 127.0.0.1:" + h.front().address().getPort() + "\n"), seen);
        assertTrue(seen.contains("Host: 127.0.0.1:" + h.front().address().getPort() + "\n"), "client's Host kept: " + seen);

        assertEquals(404, get(base + "/other").statusCode(), "no route, no forwarding");
        assertEquals(1, hits.get());
        assertEquals(1, h.registry.find("gateway.requests").tags("route", "/api/", "upstream", "shop", "status", "200")
                .timer().count());
    }

    @Test
    void dropsHopByHopHeadersAndForgedSubjectAndKeepsTheRest() throws Exception {
        Upstreams.Broken raw = upstreams.scripted("HTTP/1.1 200 OK\r\nConnection: X-Internal\r\n"
                + "X-Internal: secret\r\nKeep-Alive: timeout=5\r\nX-Public: yes\r\nContent-Length: 2\r\n\r\nok");
        start("""
                routes: [{pattern: /, upstream: shop}]
                upstreams: {shop: {instances: [%s]}}
                """, raw.hostPort());

        String response = Upstreams.raw(h.front().address(), "GET /x HTTP/1.1\r\nHost: gw\r\n"
                + "Connection: close, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: 300\r\nTE: trailers\r\n"
                + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\n"
                + "X-Authenticated-Subject: admin\r\nX-Forwarded-For: 10.1.2.3\r\nX-Custom: kept\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertTrue(response.endsWith("\r\n\r\nok"), response);
        assertTrue(response.contains("X-Public: yes\r\n"), response);
        String lowerResponse = response.toLowerCase();
        assertFalse(lowerResponse.contains("x-internal"), "named by the upstream's Connection: " + response);
        assertFalse(lowerResponse.contains("keep-alive: timeout=5"), response);

        String seen = raw.heads.getFirst();
        assertTrue(seen.startsWith("GET /x HTTP/1.1\r\n"), seen);
        assertTrue(seen.contains("Host: gw\r\n"), seen);
        assertTrue(seen.contains("X-Custom: kept\r\n"), seen);
        assertTrue(seen.contains("X-Forwarded-For: 10.1.2.3, 127.0.0.1\r\n"), seen);
        String lower = seen.toLowerCase();
        for (String hop : List.of("x-hop:", "keep-alive:", "te:", "proxy-authorization:", "x-authenticated-subject:",
                "connection: close")) {
            assertFalse(lower.contains("\n" + hop), hop + " must not reach the upstream: " + seen);
        }
    }

    @Test
    void carriesLargeBodiesBothWays() throws Exception {
        long size = 48L << 20;
        Server sink = upstreams.weft((w, r) -> {
            CRC32 crc = new CRC32();
            long n = 0;
            byte[] buf = new byte[64 * 1024];
            InputStream in = r.body();
            int k;
            while ((k = in.read(buf)) >= 0) {
                crc.update(buf, 0, k);
                n += k;
            }
            w.headers().set("X-Request-Bytes", Long.toString(n));
            w.headers().set("X-Request-Crc", Long.toString(crc.getValue()));
            try (InputStream answer = new Pattern(size, new CRC32())) {
                answer.transferTo(w.body());
            }
        });
        String base = start("""
                routes: [{pattern: /, upstream: sink}]
                upstreams: {sink: {instances: [%s]}}
                """, Upstreams.hostPort(sink));

        CRC32 sent = new CRC32();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Pattern(size, sent))).build();
        HttpResponse<InputStream> response = h.client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        CRC32 got = new CRC32();
        long received = 0;
        try (InputStream in = response.body()) {
            byte[] buf = new byte[64 * 1024];
            int k;
            while ((k = in.read(buf)) >= 0) {
                got.update(buf, 0, k);
                received += k;
            }
        }
        assertEquals(Long.toString(size), response.headers().firstValue("X-Request-Bytes").orElseThrow());
        assertEquals(Long.toString(sent.getValue()), response.headers().firstValue("X-Request-Crc").orElseThrow());
        assertEquals(size, received);
        CRC32 expected = new CRC32();
        new Pattern(size, expected).transferTo(OutputStream.nullOutputStream());
        assertEquals(expected.getValue(), got.getValue());
    }

    @Test
    void responseBytesReachTheClientBeforeTheUpstreamFinishes() throws Exception {
        CountDownLatch clientSawFirstPart = new CountDownLatch(1);
        Server slowTail = upstreams.weft((w, r) -> {
            w.write("first part\n");
            w.flush();
            boolean released = clientSawFirstPart.await(5, TimeUnit.SECONDS);
            w.write(released ? "second part\n" : "client never saw the first part\n");
        });
        String base = start("""
                routes: [{pattern: /, upstream: s}]
                upstreams: {s: {instances: [%s]}}
                """, Upstreams.hostPort(slowTail));

        HttpResponse<InputStream> response = h.client.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            byte[] first = in.readNBytes("first part\n".length());
            assertEquals("first part\n", new String(first, StandardCharsets.US_ASCII));
            clientSawFirstPart.countDown();
            assertEquals("second part\n", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void requestBytesReachTheUpstreamBeforeTheClientFinishes() throws Exception {
        CountDownLatch upstreamSawFirstPart = new CountDownLatch(1);
        Server reader = upstreams.weft((w, r) -> {
            byte[] first = new byte[5];
            int got = 0;
            while (got < 5) {
                got += r.body().read(first, got, 5 - got);
            }
            upstreamSawFirstPart.countDown();
            byte[] rest = r.body().readAllBytes();
            w.headers().set("Connection", "close");
            w.write(new String(first, StandardCharsets.US_ASCII) + "|" + new String(rest, StandardCharsets.US_ASCII));
        });
        String base = start("""
                routes: [{pattern: /, upstream: r}]
                upstreams: {r: {instances: [%s]}}
                """, Upstreams.hostPort(reader));

        // a raw client: java.net.http.HttpClient reads ahead of what it has sent, which would hide the point
        try (java.net.Socket c = new java.net.Socket("127.0.0.1", h.front().address().getPort())) {
            c.setSoTimeout(5000);
            OutputStream out = c.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(upstreamSawFirstPart.await(5, TimeUnit.SECONDS),
                    "the upstream must get the first chunk while the client still holds the rest");
            out.write("6\r\n world\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder sb = new StringBuilder();
            InputStream in = c.getInputStream();
            while (!sb.toString().endsWith("hello| world")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                sb.append((char) b);
            }
            String response = sb.toString();
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.endsWith("hello| world"), response);
        }
    }

    @Test
    void refusedUpstreamGives502AndSlowOneGives504() throws Exception {
        Server slow = upstreams.weft((w, r) -> {
            testOver.await(10, TimeUnit.SECONDS); // answers only after the test: far past every timeout
            w.write("late");
        });
        String base = start("""
                routes:
                  - {pattern: /dead/, upstream: dead}
                  - {pattern: /slow/, upstream: sleepy, connectTimeout: 1s, responseHeaderTimeout: 300ms,
                     totalTimeout: 5s}
                upstreams:
                  dead: {instances: [%s]}
                  sleepy: {instances: [%s]}
                rateLimit: {ratePerSecond: 1, burst: 1}
                """, Upstreams.closedPort(), Upstreams.hostPort(slow));

        HttpResponse<String> refused = get(base + "/dead/x");
        assertEquals(502, refused.statusCode(), refused.body());
        HttpResponse<String> timedOut = get(base + "/slow/x");
        // the upstream answers only once the test is over, so a 504 now can only come from the gateway's timeout:
        // no bound on the elapsed time, which a busy machine stretches
        assertEquals(504, timedOut.statusCode(), timedOut.body());
        assertEquals(1, testOver.getCount(), "the upstream was still stalled when the 504 came");
        assertTrue(counter("gateway.upstream.errors", "upstream", "dead", "kind", "connect") >= 1);
        assertTrue(counter("gateway.upstream.errors", "upstream", "sleepy", "kind", "timeout") >= 1);
    }

    @Test
    void totalTimeoutCutsAStalledBody() throws Exception {
        CountDownLatch stallEnded = new CountDownLatch(1);
        Server stall = upstreams.weft((w, r) -> {
            w.headers().set("Content-Length", "100");
            w.write("only ten b");
            w.flush();
            try {
                testOver.await(60, TimeUnit.SECONDS); // the rest of the body never comes while the test runs
            } finally {
                stallEnded.countDown();
            }
        });
        // responseHeaderTimeout (also the longest pause between two body reads) is far longer than totalTimeout, so
        // only the total timeout can cut the body while the upstream stalls
        String base = start("""
                routes: [{pattern: /, upstream: s, connectTimeout: 30s, responseHeaderTimeout: 30s,
                          totalTimeout: 500ms}]
                upstreams: {s: {instances: [%s]}}
                """, Upstreams.hostPort(stall));
        HttpResponse<InputStream> r = h.client.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode(), "the head went out before the stall");
        byte[] got = new byte[100];
        int n = 0;
        boolean cut = false;
        try (InputStream in = r.body()) {
            int k;
            while (n < got.length && (k = in.read(got, n, got.length - n)) >= 0) {
                n += k;
            }
        } catch (IOException e) {
            cut = true;
        }
        // the upstream stalls until the test is over (60 s at most), so a cut before that is the gateway's
        // timeout; no bound on the elapsed time, which a busy machine stretches
        assertEquals(1, stallEnded.getCount(), "the body was cut while the upstream still stalled");
        assertTrue(cut || n < got.length, "the client must see a truncated body, not a complete one: " + n);
        assertEquals("only ten b", new String(got, 0, n, StandardCharsets.ISO_8859_1));
        assertTrue(counter("gateway.upstream.errors", "upstream", "s", "kind", "timeout") >= 1);
    }

    @Test
    void healthChecksStalledOnHangingInstancesDoNotStopTheTimeouts() throws Exception {
        // two groups probed every 20 ms, each probe hanging until its 200 ms timeout closes it: two rounds waiting
        // at once used to hold both background threads, the deadline sweep never ran again, and neither the probes
        // nor any request ever timed out
        Server hanging = upstreams.weft((w, r) -> testOver.await(60, TimeUnit.SECONDS));
        String base = start("""
                routes: [{pattern: /, upstream: c, connectTimeout: 30s, responseHeaderTimeout: 300ms,
                          totalTimeout: 30s}]
                upstreams:
                  a: {instances: [%1$s], healthCheck: {path: /ready, interval: 20ms, timeout: 200ms}}
                  b: {instances: [%1$s], healthCheck: {path: /ready, interval: 20ms, timeout: 200ms}}
                  c: {instances: [%1$s]}
                """, Upstreams.hostPort(hanging));
        for (String group : List.of("a", "b")) {
            Eventually.await(Duration.ofSeconds(30), "three failed probes of group " + group,
                    () -> counter("gateway.upstream.health.failures", "upstream", group) >= 3);
        }
        HttpResponse<String> timedOut = get(base + "/x");
        assertEquals(504, timedOut.statusCode(), timedOut.body());
        assertEquals(1, testOver.getCount(), "the upstream was still hanging when the 504 came");
    }

    @Test
    void getIsRetriedOnAnotherInstanceButPostNever() throws Exception {
        Upstreams.Broken broken = upstreams.broken();
        AtomicInteger goodHits = new AtomicInteger();
        Server good = upstreams.weft(named("good", goodHits));
        String base = start("""
                routes: [{pattern: /, upstream: pair}]
                upstreams: {pair: {instances: [%s, %s], ejection: {consecutiveFailures: 1000, duration: 10s}}}
                """, broken.hostPort(), Upstreams.hostPort(good));

        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = get(base + "/item");
            assertEquals(200, r.statusCode(), "GET " + i + " must be retried on the good instance: " + r.body());
        }
        assertEquals(4, goodHits.get());
        assertTrue(broken.requests.get() >= 2, "round robin sent GETs to the broken instance too");
        assertEquals(broken.requests.get(), counter("gateway.upstream.retries", "upstream", "pair"));

        int brokenBefore = broken.requests.get();
        goodHits.set(0);
        int badGateway = 0;
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = post(base + "/orders", "{\"n\":" + i + "}");
            if (r.statusCode() == 502) {
                badGateway++;
            } else {
                assertEquals(200, r.statusCode());
            }
        }
        int postsToBroken = broken.requests.get() - brokenBefore;
        assertTrue(postsToBroken >= 2, "round robin sent POSTs to the broken instance too");
        assertEquals(postsToBroken, badGateway, "every POST the broken instance swallowed is a 502, never retried");
        assertEquals(4 - badGateway, goodHits.get(), "the good instance saw only the POSTs sent to it");
    }

    @Test
    void failingInstanceIsEjectedAndReturns() throws Exception {
        AtomicInteger aHits = new AtomicInteger();
        AtomicInteger bHits = new AtomicInteger();
        Server a = upstreams.weft(named("a", aHits));
        Server b = upstreams.weft(named("b", bHits));
        int aPort = a.address().getPort();
        AtomicLong now = new AtomicLong();
        String base = h.start(Harness.config("""
                routes: [{pattern: /, upstream: pair}]
                upstreams: {pair: {instances: [%s, %s], ejection: {consecutiveFailures: 2, duration: 1500ms}}}
                """.formatted(Upstreams.hostPort(a), Upstreams.hostPort(b))), now::get);

        for (int i = 0; i < 4; i++) {
            assertEquals(200, get(base + "/warm").statusCode());
        }
        assertEquals(2, aHits.get());
        a.close();

        for (int i = 0; i < 10; i++) {
            assertEquals(200, get(base + "/x").statusCode(), "retried on b while a is down");
        }
        assertEquals(1, counter("gateway.upstream.ejections", "upstream", "pair"), "a ejected once");
        double errors = counter("gateway.upstream.errors", "upstream", "pair", "instance", "127.0.0.1:" + aPort);
        assertEquals(2, errors, "after ejection a is not tried any more");

        Server back = upstreams.weft(named("a-again", aHits), aPort);
        assertEquals(aPort, back.address().getPort());
        aHits.set(0);
        now.set(Duration.ofMillis(1499).toNanos());
        for (int i = 0; i < 6; i++) {
            assertEquals(200, get(base + "/y").statusCode());
        }
        assertEquals(0, aHits.get(), "a stays out until its 1500 ms ejection has run, although it is back");
        now.set(Duration.ofMillis(1500).toNanos());
        for (int i = 0; i < 6; i++) {
            assertEquals(200, get(base + "/y").statusCode());
        }
        assertTrue(aHits.get() >= 2, "a is back in rotation once the ejection has run: " + aHits.get());
    }

    @Test
    void activeHealthCheckTakesAnUnreadyInstanceOutAndBack() throws Exception {
        AtomicInteger aHits = new AtomicInteger();
        AtomicInteger bHits = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean aReady = new java.util.concurrent.atomic.AtomicBoolean(false);
        Server a = upstreams.weft((w, r) -> {
            if (r.path().equals("/health/ready")) {
                w.writeHeader(aReady.get() ? 200 : 503);
                return;
            }
            named("a", aHits).serve(w, r);
        });
        Server b = upstreams.weft((w, r) -> {
            if (!r.path().equals("/health/ready")) {
                named("b", bHits).serve(w, r);
            }
        });
        String base = start("""
                routes: [{pattern: /, upstream: pair}]
                upstreams: {pair: {instances: [%s, %s], healthCheck: {interval: 100ms, timeout: 500ms}}}
                """, Upstreams.hostPort(a), Upstreams.hostPort(b));
        String aName = Upstreams.hostPort(a);
        Eventually.await(Duration.ofSeconds(5), "a's failed readiness check takes it out",
                () -> !instance(aName).activelyHealthy());
        for (int i = 0; i < 6; i++) {
            assertEquals(200, get(base + "/x").statusCode());
        }
        assertEquals(0, aHits.get(), "an instance failing /health/ready gets no traffic");
        aReady.set(true);
        Eventually.await(Duration.ofSeconds(5), "a's passed readiness check brings it back",
                () -> instance(aName).activelyHealthy());
        for (int i = 0; i < 6; i++) {
            assertEquals(200, get(base + "/x").statusCode());
        }
        assertEquals(3, aHits.get(), "back in rotation once ready");
    }

    @Test
    void leastOutstandingAvoidsTheBusyInstance() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger fastHits = new AtomicInteger();
        Server slow = upstreams.weft((w, r) -> {
            release.await(5, TimeUnit.SECONDS);
            w.write("slow");
        });
        Server fast = upstreams.weft(named("fast", fastHits));
        String base = start("""
                routes: [{pattern: /, upstream: pair}]
                upstreams: {pair: {instances: [%s, %s], balancer: least-outstanding}}
                """, Upstreams.hostPort(slow), Upstreams.hostPort(fast));

        var pending = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 2; i++) {
            pending.add(h.client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        String slowName = Upstreams.hostPort(slow);
        String fastName = Upstreams.hostPort(fast);
        Eventually.await(Duration.ofSeconds(5), "one request held by the slow instance, the other one done by the fast",
                () -> fastHits.get() == 1 && instance(slowName).outstanding() == 1
                        && instance(fastName).outstanding() == 0);
        int before = fastHits.get();
        for (int i = 0; i < 5; i++) {
            assertEquals("fast", get(base + "/y").headers().firstValue("X-Upstream").orElse(null));
        }
        assertEquals(before + 5, fastHits.get());
        release.countDown();
        for (var f : pending) {
            assertEquals(200, f.get(5, TimeUnit.SECONDS).statusCode());
        }
    }

    @Test
    void asMiddlewareItForwardsItsRoutesAndPassesTheRestOn() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        Server upstream = upstreams.weft(named("up", hits));
        try (Gateway gateway = new Gateway(Harness.config("""
                routes: [{pattern: /api/, upstream: up}]
                upstreams: {up: {instances: [%s]}}
                """.formatted(Upstreams.hostPort(upstream))), h.registry)) {
            Server app = upstreams.weft(gateway.middleware().wrap((w, r) -> w.write("local " + r.path())));
            String base = "http://127.0.0.1:" + app.address().getPort();
            assertEquals("up", get(base + "/api/x").headers().firstValue("X-Upstream").orElse(null));
            assertEquals("local /home", get(base + "/home").body());
            assertEquals(1, hits.get());
        }
    }

    @Test
    void keepsUpstreamConnectionsAlive() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        Server a = upstreams.weft(named("a", hits));
        String base = start("""
                routes: [{pattern: /, upstream: a}]
                upstreams: {a: {instances: [%s]}}
                """, Upstreams.hostPort(a));
        for (int i = 0; i < 20; i++) {
            assertEquals(200, get(base + "/k").statusCode());
        }
        assertEquals(1, h.gateway().group("a").instances().getFirst().pool().idleCount(),
                "sequential requests reuse one pooled connection");
        assertNull(h.registry.find("gateway.upstream.errors").counter());
    }

    /** A deterministic body of {@code size} bytes that updates {@code crc} as it is read. */
    private static final class Pattern extends InputStream {
        private final long size;
        private final CRC32 crc;
        private long pos;

        Pattern(long size, CRC32 crc) {
            this.size = size;
            this.crc = crc;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((pos + i) * 31 % 251);
            }
            crc.update(b, off, n);
            pos += n;
            return n;
        }
    }
}
