package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.weft.testkit.Services;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Real HTTP/2 clients against the server: the JDK's HttpClient (h2 over TLS through ALPN: it does not do h2c by
 * prior knowledge), curl (over TLS, and h2c by prior knowledge), nghttp and h2load. A test whose tool is not
 * installed is skipped with a message, and fails under {@code CI=true} (Debian: {@code apt-get install curl
 * nghttp2-client}; {@code .ci/run} installs them).
 */
class Http2ClientsTest {
    @TempDir
    static Path dir;
    static Path keystore;
    static SSLContext clientContext;

    private static final Handler HANDLER = (w, r) -> {
        switch (r.path()) {
            case "/echo" -> {
                byte[] body = r.body().readAllBytes();
                w.headers().set("Content-Type", "text/plain");
                w.write(r.protocol() + " " + r.method() + " " + body.length + " " + (r.isTls() ? "tls" : "clear"));
            }
            case "/big" -> {
                byte[] chunk = new byte[10_000];
                java.util.Arrays.fill(chunk, (byte) 'x');
                for (int i = 0; i < 50; i++) {
                    w.write(chunk);
                }
            }
            default -> w.write("hello " + r.protocol());
        }
    };

    @BeforeAll
    static void makeKeystore() throws Exception {
        TestKeystore made = TestKeystore.create(dir);
        keystore = made.keystore();
        clientContext = made.clientContext();
    }

    private static TestServer tlsServer(SimpleMeterRegistry registry) {
        return TestServer.start(HANDLER, Map.of("tls", Map.of("keystore", keystore, "keystorePassword", "secret")),
                registry);
    }

    @Test
    void jdkHttpClientNegotiatesH2ThroughAlpn() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestServer t = tlsServer(registry)) {
            HttpClient client = HttpClient.newBuilder().sslContext(clientContext)
                    .version(HttpClient.Version.HTTP_2).build();
            URI base = URI.create("https://127.0.0.1:" + t.port());
            HttpResponse<String> get = client.send(HttpRequest.newBuilder(base.resolve("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, get.version());
            assertEquals("hello HTTP/2.0", get.body());
            byte[] upload = new byte[300_000];
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(base.resolve("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("HTTP/2.0 POST 300000 tls", post.body());
            HttpResponse<byte[]> big = client.send(HttpRequest.newBuilder(base.resolve("/big")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(500_000, big.body().length);
            // concurrent streams on the one connection
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                all.add(client.sendAsync(HttpRequest.newBuilder(base.resolve("/")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (var f : all) {
                assertEquals("hello HTTP/2.0", f.get(10, TimeUnit.SECONDS).body());
            }
            // recorded after the response has left: wait for the last
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (http2Requests(registry) < 53 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(53, http2Requests(registry), registry.getMetersAsString());
            assertEquals(1, registry.get("http.server.connections.active").gauge().value(), "one connection");

            HttpClient http11 = HttpClient.newBuilder().sslContext(clientContext)
                    .version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> old = http11.send(HttpRequest.newBuilder(base.resolve("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_1_1, old.version());
            assertEquals("hello HTTP/1.1", old.body(), "http/1.1 still offered through ALPN");
        }
    }

    @Test
    void curlOverTlsAndByPriorKnowledge() throws Exception {
        requireTool("curl");
        try (TestServer t = tlsServer(null)) {
            Result r = run("curl", "-sS", "--http2", "-k", "-w", " %{http_version}",
                    "https://127.0.0.1:" + t.port() + "/");
            assertEquals("hello HTTP/2.0 2", r.out(), r.err());
        }
        try (TestServer t = TestServer.start(HANDLER)) {
            Result r = run("curl", "-sS", "--http2-prior-knowledge", "-w", " %{http_version}",
                    "--data-binary", "@" + bodyFile(100_000), "http://127.0.0.1:" + t.port() + "/echo");
            assertEquals("HTTP/2.0 POST 100000 clear 2", r.out(), r.err());
            Result plain = run("curl", "-sS", "-w", " %{http_version}", "http://127.0.0.1:" + t.port() + "/");
            assertEquals("hello HTTP/1.1 1.1", plain.out(), "HTTP/1.1 on the same port: " + plain.err());
        }
    }

    @Test
    void accessLogCarriesTheProtocol() throws Exception {
        requireTool("curl");
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try (TestServer t = TestServer.start(HANDLER, Map.of("accessLog", true))) {
            run("curl", "-sS", "--http2-prior-knowledge", "http://127.0.0.1:" + t.port() + "/logged?x=1");
            run("curl", "-sS", "http://127.0.0.1:" + t.port() + "/logged?x=2");
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("dev.weft.http.access - 127.0.0.1 \"GET /logged?x=1 HTTP/2.0\" 200 14 "), log);
        assertTrue(log.contains("dev.weft.http.access - 127.0.0.1 \"GET /logged?x=2 HTTP/1.1\" 200 14 "), log);
    }

    @Test
    void nghttp() throws Exception {
        requireTool("nghttp");
        try (TestServer t = TestServer.start(HANDLER)) {
            String base = "http://127.0.0.1:" + t.port();
            Result r = run("nghttp", "-n", "-s", "-m", "20", base + "/big");
            assertTrue(r.out().contains("200"), r.out() + r.err());
            Result echo = run("nghttp", "-d", bodyFile(70_000).toString(), base + "/echo");
            assertEquals("HTTP/2.0 POST 70000 clear", echo.out(), echo.err());
        }
    }

    @Test
    void h2loadWithoutErrors() throws Exception {
        requireTool("h2load");
        try (TestServer t = TestServer.start(HANDLER)) {
            Result r = run("h2load", "-n", "20000", "-c", "8", "-m", "16", "http://127.0.0.1:" + t.port() + "/");
            assertTrue(r.out().contains("20000 succeeded, 0 failed, 0 errored, 0 timeout"), r.out());
            assertTrue(r.out().contains("status codes: 20000 2xx"), r.out());
        }
    }

    private static long http2Requests(SimpleMeterRegistry registry) {
        long n = 0;
        for (var timer : registry.get("http.server.requests").tag("protocol", "HTTP/2.0").timers()) {
            n += timer.count();
        }
        return n;
    }

    private static Path bodyFile(int size) throws IOException {
        Path f = dir.resolve("body-" + size);
        if (!Files.exists(f)) {
            Files.write(f, new byte[size]);
        }
        return f;
    }

    private static void requireTool(String tool) {
        boolean found = false;
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= Files.isExecutable(Path.of(p, tool));
        }
        if (!found) {
            Services.unmet(tool + " is not on the PATH", "apt-get install curl nghttp2-client (.ci/run does)");
        }
    }

    record Result(String out, String err) {
    }

    private static Result run(String... command) throws Exception {
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        String error = Files.readString(err);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out + error);
        return new Result(out, error);
    }
}
