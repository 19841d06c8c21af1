package dev.weft.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Response smuggling and desync against a deliberately bad upstream: a raw server socket whose first connection
 * answers with crafted bytes and whose later connections answer correctly. The gateway must answer 502, close the
 * bad connection, and serve the next request from a fresh connection with the right answer; a response nobody asked
 * for must never reach a client.
 */
class ResponseDesyncTest {
    private static final String GOOD = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ngood";

    private Harness h;
    private BadUpstream upstream;

    @BeforeEach
    void setUp() throws IOException {
        h = new Harness();
        upstream = new BadUpstream();
    }

    @AfterEach
    void tearDown() throws Exception {
        upstream.close();
        h.close();
    }

    private String start() throws IOException {
        return h.start(Harness.config("""
                routes: [{pattern: /, upstream: bad, retries: 0}]
                upstreams: {bad: {instances: [127.0.0.1:%d]}}
                """.formatted(upstream.port())));
    }

    /** One request on a new client connection that the gateway closes after answering; the raw response. */
    private String get(String path) throws IOException {
        return Upstreams.raw(h.front().address(), "GET " + path + " HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
        "both Content-Length and Transfer-Encoding # HTTP/1.1 200 OK|Content-Length: 5|Transfer-Encoding: chunked||5|hello|0||",
        "Transfer-Encoding before Content-Length # HTTP/1.1 200 OK|Transfer-Encoding: chunked|Content-Length: 5||5|hello|0||",
        "differing Content-Lengths # HTTP/1.1 200 OK|Content-Length: 5|Content-Length: 6||hello!",
        "a Content-Length list # HTTP/1.1 200 OK|Content-Length: 5, 6||hello!",
        "a signed Content-Length # HTTP/1.1 200 OK|Content-Length: +5||hello",
        "a signed chunk size # HTTP/1.1 200 OK|Transfer-Encoding: chunked||+5|hello|0||",
        "a negative chunk size # HTTP/1.1 200 OK|Transfer-Encoding: chunked||-5|hello|0||",
        "an oversized chunk size # HTTP/1.1 200 OK|Transfer-Encoding: chunked||1000000000000005|hello|0||",
        "a chunk size past a long # HTTP/1.1 200 OK|Transfer-Encoding: chunked||fffffffffffffffff|hello|0||",
        "a 0x chunk size # HTTP/1.1 200 OK|Transfer-Encoding: chunked||0x5|hello|0||",
        "a transfer coding other than chunked # HTTP/1.1 200 OK|Transfer-Encoding: gzip, chunked||5|hello|0||",
        "a control character in a field # HTTP/1.1 200 OK|X-A: a<SOH>b|Content-Length: 5||hello",
        "a bare CR in a field # HTTP/1.1 200 OK|X-A: a<CR>Content-Length: 9|Content-Length: 5||hello",
        "a NUL in a field name # HTTP/1.1 200 OK|X<NUL>A: b|Content-Length: 5||hello",
        "whitespace before a colon # HTTP/1.1 200 OK|Content-Length : 5||hello",
        "obs-fold # HTTP/1.1 200 OK|X-A: a| folded|Content-Length: 5||hello",
        "a two-digit status # HTTP/1.1 20 OK|Content-Length: 5||hello",
        "a status out of range # HTTP/1.1 700 OK|Content-Length: 5||hello",
        "no space after the version # HTTP/1.1200 OK|Content-Length: 5||hello",
        "an unknown version # HTTP/1.2 200 OK|Content-Length: 5||hello",
        "not HTTP at all # SSH-2.0-OpenSSH_9.2||",
        "a status line ended by a bare LF # HTTP/1.1 200 OK<LF>Content-Length: 5||hello",
    })
    void refusesAMalformedResponseWith502AndClosesTheConnection(String name, String crafted) throws Exception {
        upstream.firstConnectionAnswers(bytes(crafted));
        start();

        String refused = get("/first");
        assertTrue(refused.startsWith("HTTP/1.1 502 "), name + ": " + refused);
        assertFalse(refused.contains("hello"), name + ": nothing of the bad response reaches the client: " + refused);
        assertTrue(upstream.firstClosedByGateway(), name + ": the gateway closes the bad upstream connection");
        assertEquals(1.0, h.counter("gateway.upstream.errors", "upstream", "bad", "kind", "protocol"), name);

        String next = get("/second");
        assertTrue(next.startsWith("HTTP/1.1 200 "), name + ": " + next);
        assertTrue(next.endsWith("\r\n\r\ngood"), name + ": " + next);
        assertEquals(2, upstream.connections(), name + ": the next request went out on a fresh connection");
        assertEquals(List.of("GET /first", "GET /second"), upstream.requestLines());
    }

    @Test
    void aSecondResponseSentWithTheFirstNeverReachesTheNextClient() throws Exception {
        upstream.firstConnectionAnswers(bytes("HTTP/1.1 200 OK|Content-Length: 2||ok"
                + "HTTP/1.1 200 OK|Content-Length: 8||smuggled"));
        start();

        String first = get("/first");
        assertTrue(first.startsWith("HTTP/1.1 200 "), first);
        assertTrue(first.endsWith("\r\n\r\nok"), "the declared body, no more: " + first);
        assertTrue(upstream.firstClosedByGateway(), "bytes left over after a response: the connection is not reused");

        String next = get("/second");
        assertTrue(next.endsWith("\r\n\r\ngood"), next);
        assertFalse(next.contains("smuggled"), next);
        assertEquals(2, upstream.connections());
    }

    @Test
    void aBodyLongerThanItsContentLengthIsCutAtTheLengthAndTheRestNeverReused() throws Exception {
        upstream.firstConnectionAnswers(bytes("HTTP/1.1 200 OK|Content-Length: 2||okHTTP/1.1 204 No Content||"));
        start();

        assertTrue(get("/first").endsWith("\r\n\r\nok"));
        assertTrue(upstream.firstClosedByGateway());
        assertTrue(get("/second").endsWith("\r\n\r\ngood"));
    }

    @Test
    void aMalformedChunkAfterTheResponseBeganCutsTheClientsConnection() throws Exception {
        // the status is on its way to the client when the second chunk's size turns out bad: the client's
        // connection is cut before the body's end, so it cannot take the response as complete
        String head = "HTTP/1.1 200 OK|Transfer-Encoding: chunked||";
        upstream.firstConnectionAnswers(bytes(head + "5|hello|"), bytes("+5|world|0||"));
        start();

        String cut = get("/first");
        assertTrue(cut.startsWith("HTTP/1.1 200 "), cut);
        assertFalse(cut.endsWith("0\r\n\r\n"), "the client never sees the end of the chunked body: " + cut);
        assertFalse(cut.contains("world"), cut);
        assertTrue(upstream.firstClosedByGateway());
        assertEquals(1.0, h.counter("gateway.upstream.errors", "upstream", "bad", "kind", "protocol"));

        assertTrue(get("/second").endsWith("\r\n\r\ngood"));
    }

    @Test
    void interimResponsesAreSkippedAndTheConnectionReused() throws Exception {
        upstream.firstConnectionAnswers(bytes("HTTP/1.1 103 Early Hints|Link: </a.css>; rel=preload||"
                + "HTTP/1.1 200 OK|Transfer-Encoding: chunked||3|abc|0|X-Trailer: dropped||"));
        start();

        String first = get("/first");
        assertTrue(first.startsWith("HTTP/1.1 200 "), first);
        assertTrue(first.contains("abc"), first);
        // not "103": the random X-Request-Id may hold those digits
        assertFalse(first.contains("Early Hints") || first.contains("rel=preload"), first);
        assertFalse(first.contains("X-Trailer"), first);
        assertFalse(upstream.firstClosedByGateway(), "a clean exchange keeps its connection");
    }

    /** {@code |} is CRLF; {@code <CR>}, {@code <LF>}, {@code <SOH>}, {@code <NUL>} the bytes they name. */
    private static byte[] bytes(String s) {
        return s.replace("|", "\r\n").replace("<CR>", "\r").replace("<LF>", "\n").replace("<SOH>", "\u0001")
                .replace("<NUL>", "\u0000").getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A raw upstream. Its first connection reads one request head and writes the crafted pieces (each after the
     * gateway has read the previous one, as far as a socket can tell: each piece is a write of its own), then
     * records whether the gateway closed the connection; every later connection answers each request with
     * {@link #GOOD}.
     */
    private static final class BadUpstream implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<String> requestLines = new CopyOnWriteArrayList<>();
        private final CountDownLatch firstDone = new CountDownLatch(1);
        private volatile boolean firstClosed;
        private volatile int connections;
        private volatile byte[][] crafted;

        BadUpstream() throws IOException {
            Thread.startVirtualThread(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        void firstConnectionAnswers(byte[]... pieces) {
            crafted = pieces;
        }

        int connections() {
            return connections;
        }

        List<String> requestLines() {
            return requestLines;
        }

        /**
         * True when the gateway closed the first connection after reading the crafted answer, false when it sent
         * another request on it or kept it open for 5 s.
         */
        boolean firstClosedByGateway() throws InterruptedException {
            assertTrue(firstDone.await(10, TimeUnit.SECONDS), "the first connection was used");
            return firstClosed;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    int n = connections++;
                    Thread.startVirtualThread(() -> serve(s, n == 0));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s, boolean first) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                if (first) {
                    if (readHead(in)) {
                        for (byte[] piece : crafted) {
                            out.write(piece);
                            out.flush();
                        }
                        s.setSoTimeout(5000);
                        try {
                            firstClosed = in.read() < 0;
                        } catch (SocketTimeoutException | java.net.SocketException e) {
                            firstClosed = e instanceof java.net.SocketException; // a reset is a close too
                        }
                    }
                    firstDone.countDown();
                    return;
                }
                while (readHead(in)) {
                    out.write(GOOD.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } catch (IOException ignored) {
                // the gateway closed first
            } finally {
                if (first) {
                    firstDone.countDown();
                }
            }
        }

        /** Reads a request head (the gateway's GETs have no body) and records its request line; false at EOF. */
        private boolean readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                head.append((char) b);
                if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                    String line = head.substring(0, head.indexOf("\r\n"));
                    requestLines.add(line.substring(0, line.lastIndexOf(' ')));
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
