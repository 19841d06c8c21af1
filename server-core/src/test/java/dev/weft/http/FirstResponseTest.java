package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.weft.testkit.Eventually;

/** What a service's first client waits for: the listener bound early, the response before the bookkeeping. */
class FirstResponseTest {
    @Test
    void aClientThatConnectsBeforeTheServerServesWaitsInTheBacklogAndIsAnswered() throws Exception {
        ServerConfig config = TestServer.config(Map.of());
        ServerSocket listener = Server.listen(config);
        Server server = new Server(config, (w, r) -> w.write("early"));
        try (Socket client = new Socket("127.0.0.1", listener.getLocalPort())) {
            client.setSoTimeout(5000);
            TestServer.send(client, "GET / HTTP/1.1\r\nHost: h\r\n\r\n"); // accepted by the kernel, not yet served
            server.start(listener);
            assertEquals(listener.getLocalSocketAddress(), server.address());
            ResponseReader.Exchange e = new ResponseReader(client.getInputStream()).next("GET");
            assertEquals(200, e.status());
            assertEquals("early", e.text());
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
    }

    @Test
    void theResponseLeavesBeforeItsTimerIsRegistered() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CountDownLatch registering = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().equals("http.server.requests")) {
                    registering.countDown();
                    try {
                        release.await(); // the first request's timer: held until the client has its answer
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return id;
            }
        });
        try (TestServer t = TestServer.start((w, r) -> w.write("first"), Map.of(), registry);
             Socket client = t.connect()) {
            TestServer.send(client, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            ResponseReader.Exchange e = new ResponseReader(client.getInputStream()).next("GET");
            assertEquals("first", e.text(), "answered while its timer is being registered");
            assertEquals(true, registering.await(5, TimeUnit.SECONDS));
            release.countDown();
            Eventually.await(Duration.ofSeconds(5), "the request counted",
                    () -> registry.find("http.server.requests").timer() != null
                            && registry.get("http.server.requests").timer().count() == 1);
        } finally {
            release.countDown();
        }
    }
}
