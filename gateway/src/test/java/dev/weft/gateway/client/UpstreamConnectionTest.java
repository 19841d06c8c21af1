package dev.weft.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 client codec against a scripted server socket. */
class UpstreamConnectionTest {
    private final ServerSocket server;
    private final ConnectionPool pool;
    /** The upstream side of each connection {@link #script} accepted. */
    private final java.util.concurrent.BlockingQueue<Socket> accepted = new java.util.concurrent.LinkedBlockingQueue<>();

    UpstreamConnectionTest() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        pool = new ConnectionPool(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 4,
                Duration.ofSeconds(30));
    }

    @AfterEach
    void close() throws IOException {
        pool.close();
        server.close();
    }

    /** Accepts one connection and, for each request head read, writes the next of {@code responses}. */
    private void script(String... responses) {
        Thread.startVirtualThread(() -> {
            try (Socket s = server.accept()) {
                accepted.add(s);
                InputStream in = s.getInputStream();
                for (String response : responses) {
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        int b = in.read();
                        if (b < 0) {
                            return;
                        }
                        head.append((char) b);
                    }
                    if (head.toString().contains("Content-Length: 5")) {
                        in.readNBytes(5);
                    }
                    s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                }
                in.read();
            } catch (IOException ignored) {
                // the test is over
            }
        });
    }

    private static byte[] head(String method) {
        return (method + " / HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String readBody(ResponseBody body) throws IOException {
        return new String(body.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsChunkedAndFixedBodiesAndReusesTheConnection() throws Exception {
        script("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
                        + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
                "HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\nabc",
                "HTTP/1.1 204 No Content\r\n\r\n");
        UpstreamConnection c = pool.acquire(1000);
        c.deadline(System.nanoTime() + 2_000_000_000L);
        c.sendHead(head("GET"));
        ResponseHead h = c.readHead("GET");
        assertEquals(200, h.status());
        assertEquals("OK", h.reason());
        assertEquals("1", h.headers().get("X-A"));
        ResponseBody body = c.body(h);
        assertEquals(-1, body.declaredLength());
        assertEquals("hello world", readBody(body));
        assertTrue(body.isDone());
        pool.release(c);

        UpstreamConnection again = pool.acquire(1000);
        assertSame(c, again);
        assertTrue(again.reused());
        again.sendHead(("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        again.sendBody(new ByteArrayInputStream("12345".getBytes(StandardCharsets.ISO_8859_1)), 5);
        ResponseHead created = again.readHead("POST");
        assertEquals(201, created.status());
        assertEquals("abc", readBody(again.body(created)));
        pool.release(again);

        UpstreamConnection third = pool.acquire(1000);
        third.sendHead(head("GET"));
        ResponseHead none = third.readHead("GET");
        assertEquals(204, none.status());
        assertTrue(third.body(none).isDone());
        pool.release(third);
        assertEquals(1, pool.idleCount());
    }

    @Test
    void aBodyEndingWithTheConnectionIsNotReused() throws Exception {
        script("HTTP/1.0 200 OK\r\n\r\nuntil close");
        UpstreamConnection c = pool.acquire(1000);
        c.deadline(System.nanoTime() + 2_000_000_000L);
        c.sendHead(head("GET"));
        ResponseHead h = c.readHead("GET");
        assertFalse(h.keepAlive());
        ResponseBody body = c.body(h);
        body.close();
        pool.release(c);
        assertEquals(0, pool.idleCount());
    }

    @Test
    void rejectsMalformedResponses() throws Exception {
        for (String bad : new String[] {"HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1 200 OK\r\n folded\r\n\r\n",
                "SSH-2.0-OpenSSH\r\n\r\n"}) {
            script(bad);
            UpstreamConnection c = pool.acquire(1000);
            c.deadline(System.nanoTime() + 2_000_000_000L);
            c.sendHead(head("GET"));
            assertThrows(MalformedResponseException.class, () -> c.readHead("GET"), bad);
            c.close();
        }
        script("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+1\r\nx\r\n0\r\n\r\n");
        UpstreamConnection c = pool.acquire(1000);
        c.deadline(System.nanoTime() + 2_000_000_000L);
        c.sendHead(head("GET"));
        assertThrows(MalformedResponseException.class, () -> c.readHead("GET"),
                "a bad first chunk size that came with the head is refused with the head");
        c.close();
    }

    @Test
    void aConnectionOnWhichBytesArrivedWhileIdleIsNeverHandedOutAgain() throws Exception {
        // the upstream answers, then sends a second response nobody asked for while the connection is idle
        script("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        UpstreamConnection c = pool.acquire(1000);
        c.deadline(System.nanoTime() + 2_000_000_000L);
        c.sendHead(head("GET"));
        ResponseHead h = c.readHead("GET");
        assertEquals("ok", readBody(c.body(h)));
        pool.release(c);
        assertEquals(1, pool.idleCount());
        assertFalse(c.unsolicitedBytes());

        Socket upstreamSide = accepted.take();
        upstreamSide.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled"
                .getBytes(StandardCharsets.ISO_8859_1));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!c.unsolicitedBytes()) { // until the bytes are in the client socket's receive queue
            assertTrue(System.nanoTime() < deadline, "the unsolicited bytes never arrived");
            Thread.onSpinWait();
        }
        UpstreamConnection next = pool.acquire(1000);
        assertNotSame(c, next);
        assertEquals(1, pool.openCount(), "the connection with a stray response was closed, a new one opened");
        assertEquals(0, pool.idleCount());
        next.close();
    }

    @Test
    void aSweptDeadlineEndsABlockedReadAsATimeout() throws Exception {
        Thread.startVirtualThread(() -> { // accepts, reads, never answers
            try (Socket s = server.accept()) {
                s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the test is over
            }
        });
        UpstreamConnection c = pool.acquire(1000);
        c.sendHead(head("GET"));
        c.deadline(System.nanoTime() + 100_000_000L);
        Thread sweeper = Thread.startVirtualThread(() -> {
            while (pool.openCount() > 0) {
                pool.sweep(System.nanoTime());
                try {
                    Thread.sleep(10); // the sweep's period, as the gateway's background task runs it
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long t0 = System.nanoTime();
        assertThrows(java.net.SocketTimeoutException.class, () -> c.readHead("GET"));
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
        // the read never ends by itself (the upstream never answers): only the sweep at the deadline ends it; the
        // bound is loose for a starved machine
        assertTrue(tookMillis < 5000, "the 100 ms deadline ended the read after " + tookMillis + " ms");
        sweeper.join(2000);
        assertEquals(0, pool.openCount());
    }

    @Test
    void headResponsesHaveNoBodyWhateverTheirLength() throws Exception {
        script("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n");
        UpstreamConnection c = pool.acquire(1000);
        c.deadline(System.nanoTime() + 2_000_000_000L);
        c.sendHead(head("HEAD"));
        ResponseHead h = c.readHead("HEAD");
        assertTrue(c.body(h).isDone());
        pool.release(c);
        assertEquals(1, pool.idleCount());
    }
}
