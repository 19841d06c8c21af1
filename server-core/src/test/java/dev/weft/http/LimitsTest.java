package dev.weft.http;

import static dev.weft.http.TestServer.readResponse;
import static dev.weft.http.TestServer.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.weft.config.ConfigException;

class LimitsTest {
    @Test
    void maxConnectionsMakesNewClientsWaitForAFreeSlot() throws Exception {
        try (TestServer t = TestServer.start((w, r) -> w.write("ok"), Map.of("maxConnections", 2))) {
            Socket a = t.connect();
            Socket b = t.connect();
            send(a, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            readResponse(a.getInputStream());
            send(b, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            readResponse(b.getInputStream());
            Socket c = t.connect();
            c.setSoTimeout(300);
            send(c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThrows(SocketTimeoutException.class, () -> c.getInputStream().read(),
                    "the third connection waits in the backlog");
            a.close();
            c.setSoTimeout(5000);
            assertTrue(readResponse(c.getInputStream()).startsWith("HTTP/1.1 200"));
            b.close();
            c.close();
        }
    }

    @Test
    void transientAcceptErrorsAreRetried() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        ServerSocket flaky = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress()) {
            @Override
            public Socket accept() throws IOException {
                if (failures.getAndIncrement() < 3) {
                    throw new IOException("Too many open files");
                }
                return super.accept();
            }
        };
        Server server = new Server(ServerConfig.defaults(), (w, r) -> w.write("ok"));
        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
            try {
                server.serve(flaky);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        try (Socket s = new Socket("127.0.0.1", flaky.getLocalPort())) {
            s.setSoTimeout(5000);
            send(s, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertTrue(readResponse(s.getInputStream()).endsWith("ok"));
        }
        assertTrue(failures.get() >= 4);
        server.shutdown(Duration.ofSeconds(1));
        serving.get(5, TimeUnit.SECONDS);
    }

    @Test
    void listenAndServeRefusesAMalformedAddress() {
        assertEquals(List.of("server.address: must be host:port or :port, was \"8080\""),
                assertThrows(ConfigException.class, () -> Server.listenAndServe("8080", (w, r) -> { })).problems());
        assertEquals(List.of("server.port: must be an integer, was \"http\""),
                assertThrows(ConfigException.class, () -> Server.listenAndServe(":http", (w, r) -> { })).problems());
        assertEquals(List.of("server.port: must be between 0 and 65535, was 99999"),
                assertThrows(ConfigException.class, () -> Server.listenAndServe(":99999", (w, r) -> { })).problems());
    }

    @Test
    void invalidConfigurationIsRefusedWithEveryProblem() {
        ServerConfig d = ServerConfig.defaults();
        ServerConfig bad = new ServerConfig(d.host(), 70000, d.readHeaderTimeout(), Duration.ofSeconds(-1),
                d.writeTimeout(), d.idleTimeout(), d.maxRequestLineBytes(), d.maxHeaderBytes(), d.maxBodyBytes(), 0,
                d.maxConcurrentStreams(), d.backlog(), d.maxDrainBytes(), d.executor(), d.platformThreads(),
                d.shutdownTimeout(), d.accessLog(), d.serverHeader(), ServerConfig.TlsConfig.pkcs12(Path.of("/nonexistent.p12"), "x"));
        ConfigException e = assertThrows(ConfigException.class, () -> new Server(bad, (w, r) -> { }));
        assertEquals(List.of(
                "server.port: must be between 0 and 65535, was 70000",
                "server.readTimeout: must be positive, was -1s",
                "server.readHeaderTimeout: must not be longer than server.readTimeout (-1s), was 10s",
                "server.maxConnections: must be at least 1, was 0",
                "server.tls.keystore: must name a readable file, was /nonexistent.p12 (missing or not readable)"),
                e.problems());
        assertTrue(e.getMessage().startsWith("invalid configuration (5 problems):"), e.getMessage());
    }

    @Test
    void aMissingConfigurationIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> new Server(null, (w, r) -> { }));
        assertEquals(List.of("server: must be set (ServerConfig.defaults() for the defaults)"), e.problems());
    }
}
