package dev.weft.http;

import static dev.weft.http.TestServer.readResponse;
import static dev.weft.http.TestServer.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.weft.testkit.Eventually;

class ShutdownTest {
    @Test
    void gracefulShutdownUnderLoadAnswersEveryAcceptedRequest() throws Exception {
        AtomicInteger served = new AtomicInteger();
        TestServer t = TestServer.start((w, r) -> {
            Thread.sleep(5); // a handler's latency is the input: requests are in flight when shutdown starts
            served.incrementAndGet();
            w.write("ok");
        });
        AtomicInteger answered = new AtomicInteger();
        AtomicBoolean refusedAfterShutdown = new AtomicBoolean();
        CountDownLatch warm = new CountDownLatch(16);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            clients.add(Thread.ofVirtual().start(() -> {
                boolean counted = false;
                while (true) {
                    try (Socket s = t.connect()) {
                        while (true) {
                            send(s, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
                            String res = readResponse(s.getInputStream());
                            assertTrue(res.startsWith("HTTP/1.1 200 OK"), res);
                            answered.incrementAndGet();
                            if (!counted) {
                                counted = true;
                                warm.countDown();
                            }
                            if (res.contains("Connection: close")) {
                                break;
                            }
                        }
                    } catch (ConnectException e) {
                        refusedAfterShutdown.set(t.server.isShuttingDown());
                        return;
                    } catch (IOException e) {
                        // an idle connection closed by the shutdown, or a reset: reconnect
                    }
                }
            }));
        }
        assertTrue(warm.await(10, TimeUnit.SECONDS));
        Eventually.await(Duration.ofSeconds(10), "ten answers per client on average", () -> answered.get() >= 160);
        ShutdownReport report = t.server.shutdown(Duration.ofSeconds(5));
        for (Thread c : clients) {
            c.join(5000);
            assertFalse(c.isAlive(), "a client still runs 5 s after the shutdown");
        }
        assertTrue(report.graceful(), report.toString());
        assertTrue(refusedAfterShutdown.get(), "new connections are refused once shutdown started");
        assertEquals(served.get(), answered.get(), "every request that reached a handler was answered");
        int after = served.get();
        // Every client has ended on a refused connection and a new one is refused too: nothing can reach a handler.
        assertThrows(ConnectException.class, () -> t.connect().close());
        assertEquals(after, served.get(), "nothing is served after shutdown");
    }

    @Test
    void shutdownRunsHooksClosesIdleConnectionsAndReportsWhatItCut() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CompletableFuture<Context.Cause> cancelled = new CompletableFuture<>();
        TestServer t = TestServer.start((w, r) -> {
            if (r.path().equals("/slow")) {
                inHandler.countDown();
                r.context().await(10, TimeUnit.SECONDS);
                cancelled.complete(r.context().cause());
            } else {
                w.write("fast");
            }
        });
        AtomicBoolean hookSawShutdown = new AtomicBoolean();
        t.server.registerOnShutdown(() -> hookSawShutdown.set(t.server.isShuttingDown()));
        Socket idle = t.connect();
        send(idle, "GET /fast HTTP/1.1\r\nHost: h\r\n\r\n");
        readResponse(idle.getInputStream());
        // The response arrives before the server's side of the connection goes back to waiting; a shutdown in
        // between finds it finishing, not idle (it then closes itself, counted as finished).
        Eventually.await(Duration.ofSeconds(10), "the first connection waits for its next request",
                () -> t.server.idleConnections() == 1);
        Socket slow = t.connect();
        send(slow, "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
        assertTrue(inHandler.await(5, TimeUnit.SECONDS));

        ShutdownReport report = t.server.shutdown(Duration.ofMillis(300));

        assertTrue(hookSawShutdown.get());
        assertFalse(report.graceful());
        assertEquals(1, report.idleClosed(), report.toString());
        assertEquals(1, report.forceClosed(), report.toString());
        assertEquals(1, report.cutRequests().size());
        assertTrue(report.cutRequests().get(0).startsWith("GET /slow from /127.0.0.1:"), report.toString());
        assertEquals(Context.Cause.SERVER_SHUTDOWN, cancelled.get(5, TimeUnit.SECONDS));
        assertEquals(-1, idle.getInputStream().read(), "the idle connection was closed");
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", t.port()).close());
        idle.close();
        slow.close();
    }

    @Test
    void inFlightRequestsFinishWithConnectionClose() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestServer t = TestServer.start((w, r) -> {
            inHandler.countDown();
            release.await(10, TimeUnit.SECONDS);
            w.write("done");
        });
        try (Socket s = t.connect()) {
            send(s, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertTrue(inHandler.await(5, TimeUnit.SECONDS));
            CompletableFuture<ShutdownReport> report = CompletableFuture.supplyAsync(
                    () -> t.server.shutdown(Duration.ofSeconds(5)));
            Eventually.await(Duration.ofSeconds(5), "the shutdown started", t.server::isShuttingDown);
            release.countDown();
            String res = readResponse(s.getInputStream());
            assertTrue(res.contains("Connection: close\r\n") && res.endsWith("done"), res);
            assertEquals(1, report.get(5, TimeUnit.SECONDS).finished());
        }
    }

    @Test
    void closeStopsAtOnceAndUnblocksListenAndServe() throws Exception {
        Server server = new Server(TestServer.config(Map.of()),
                (w, r) -> w.write("x"));
        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
            try {
                server.listenAndServe();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Eventually.await(Duration.ofSeconds(5), "the server listens", () -> server.address() != null);
        server.close();
        serving.get(5, TimeUnit.SECONDS);
        assertTrue(server.isShuttingDown());
    }
}
