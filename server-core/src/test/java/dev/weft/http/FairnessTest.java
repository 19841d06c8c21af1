package dev.weft.http;

import static dev.weft.http.TestServer.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Fairness between connections: virtual threads are not preempted, so a client that pipelines without pause, one per
 * carrier thread, could keep every carrier to itself. Another client's requests must still be answered promptly.
 */
class FairnessTest {
    @Test
    void clientsThatNeverPauseDoNotStarveTheOthers() throws Exception {
        int hogs = Math.max(2, Runtime.getRuntime().availableProcessors());
        byte[] batch = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n".repeat(2000).getBytes(StandardCharsets.ISO_8859_1);
        List<Socket> sockets = new ArrayList<>();
        try (TestServer t = TestServer.start((w, r) -> w.write("ok"))) {
            for (int i = 0; i < hogs; i++) {
                Socket s = t.connect();
                sockets.add(s);
                // one thread keeps the socket full of requests, another reads the answers as fast as they come
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        while (true) {
                            out.write(batch);
                        }
                    } catch (IOException closed) {
                        // the test is over
                    }
                });
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        InputStream in = s.getInputStream();
                        byte[] sink = new byte[64 * 1024];
                        while (in.read(sink) >= 0) {
                            // discard
                        }
                    } catch (IOException closed) {
                        // the test is over
                    }
                });
            }
            long worst = 0;
            try (Socket polite = t.connect()) {
                polite.setSoTimeout(30_000);
                ResponseReader reader = new ResponseReader(polite.getInputStream());
                for (int i = 0; i < 20; i++) {
                    long begin = System.nanoTime();
                    send(polite, "GET /polite HTTP/1.1\r\nHost: h\r\n\r\n");
                    assertEquals(200, reader.next("GET").status());
                    worst = Math.max(worst, System.nanoTime() - begin);
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            assertTrue(worst < 3_000_000_000L, "a request waited " + worst / 1_000_000 + " ms behind " + hogs
                    + " clients that never pause");
        }
    }
}
