package dev.weft.http;

import static dev.weft.http.TestServer.readResponse;
import static dev.weft.http.TestServer.send;
import static dev.weft.http.TestServer.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9112 behaviour over raw sockets: every refusal, keep-alive, pipelining, bodies, HEAD, 100-continue. */
class ProtocolTest {
    private static final AtomicInteger handled = new AtomicInteger();
    private static final AtomicReference<Request> last = new AtomicReference<>();
    private static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start((w, r) -> {
            handled.incrementAndGet();
            last.set(r);
            switch (r.path()) {
                case "/echo" -> {
                    byte[] body = r.body().readAllBytes();
                    w.headers().set("X-Trailer-Checksum", String.valueOf(r.trailers().get("Checksum")));
                    w.write(body);
                }
                case "/ignore-body" -> w.write("ignored");
                case "/zero-read" -> w.write("read " + r.body().read(new byte[8], 0, 0));
                case "/fail" -> throw new IllegalStateException("boom");
                case "/fail-late" -> {
                    w.write("partial".repeat(2000));
                    throw new IllegalStateException("late boom");
                }
                case "/flush" -> {
                    w.write("a");
                    w.flush();
                    w.write("b");
                }
                case "/no-content" -> w.writeHeader(204);
                case "/hints" -> {
                    w.headers().set("Link", "</app.css>; rel=preload");
                    w.writeHeader(103);
                    w.write("page");
                }
                default -> w.write(r.method() + " " + r.path() + " " + r.host());
            }
        }, Map.of("maxRequestLineBytes", 128, "maxHeaderBytes", 512, "maxBodyBytes", 1000, "maxDrainBytes", 2000));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "missing Host; GET / HTTP/1.1||; 400",
        "duplicate Host; GET / HTTP/1.1|Host: a|Host: b||; 400",
        "CL with TE; POST / HTTP/1.1|Host: h|Content-Length: 3|Transfer-Encoding: chunked||abc; 400",
        "differing CL; POST / HTTP/1.1|Host: h|Content-Length: 3|Content-Length: 4||abcd; 400",
        "malformed CL; POST / HTTP/1.1|Host: h|Content-Length: +3||abc; 400",
        "obs-fold; GET / HTTP/1.1|Host: h|X-A: a| b||; 400",
        "space before colon; GET / HTTP/1.1|Host : h||; 400",
        "control character; GET / HTTP/1.1|Host: h|X-A: a<BEL>||; 400",
        "bad method; G@T / HTTP/1.1|Host: h||; 400",
        "long request line; GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1|Host: h||; 414",
        "large header section; GET / HTTP/1.1|Host: h|X-Big: <PAD>||; 431",
        "body over the limit; POST / HTTP/1.1|Host: h|Content-Length: 5000||; 413",
        "gzip transfer coding; POST / HTTP/1.1|Host: h|Transfer-Encoding: gzip, chunked||; 501",
        "HTTP/2.0; GET / HTTP/2.0|Host: h||; 505",
        "bad chunk size; POST /echo HTTP/1.1|Host: h|Transfer-Encoding: chunked||zz|; 400",
        "oversized chunk size; POST /echo HTTP/1.1|Host: h|Transfer-Encoding: chunked||ffffffffffffffffff|; 400",
        "chunked body over the limit; POST /echo HTTP/1.1|Host: h|Transfer-Encoding: chunked||7d0|; 413",
        "chunk without CRLF; POST /echo HTTP/1.1|Host: h|Transfer-Encoding: chunked||3|abcX|0||; 400",
    })
    void refusesAndCloses(String name, String raw, int expected) throws Exception {
        int before = handled.get();
        String request = raw.replace("|", "\r\n").replace("<BEL>", "\u0007").replace("<PAD>", "p".repeat(600));
        String response = t.exchange(request);
        assertEquals(expected, status(response), response);
        assertTrue(response.contains("Connection: close\r\n"), response);
        if (!name.contains("chunk")) {
            assertEquals(before, handled.get(), "a refused request must not reach the handler");
        }
        assertEquals(200, status(t.exchange("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")),
                "the server keeps serving");
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        try (Socket s = t.connect()) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                batch.append("GET /p").append(i).append(" HTTP/1.1\r\nHost: h\r\n\r\n");
            }
            batch.append("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
            batch.append("GET /last HTTP/1.1\r\nHost: h\r\n\r\n");
            send(s, batch.toString());
            InputStream in = s.getInputStream();
            for (int i = 0; i < 20; i++) {
                assertTrue(readResponse(in).endsWith("GET /p" + i + " h"));
            }
            assertTrue(readResponse(in).endsWith("\r\n\r\nhello"));
            assertTrue(readResponse(in).endsWith("GET /last h"));
        }
    }

    @Test
    void decodesChunkedBodiesWithTrailers() throws Exception {
        String res = t.exchange("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nChecksum: c0ffee\r\n\r\n");
        assertEquals(200, status(res), res);
        assertTrue(res.endsWith("\r\n\r\nhello world"), res);
        assertTrue(res.contains("X-Trailer-Checksum: c0ffee\r\n"), res);
    }

    @Test
    void aZeroLengthReadOfAChunkedBodyDoesNotWaitForTheBody() throws Exception {
        try (Socket s = t.connect()) {
            s.setSoTimeout(5000);
            send(s, "POST /zero-read HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
            String res = readResponse(s.getInputStream());
            assertEquals(200, status(res), res);
            assertTrue(res.endsWith("\r\n\r\nread 0"), res);
            send(s, "3\r\nabc\r\n0\r\n\r\n");
        }
    }

    @Test
    void drainsAnUnreadBodyToKeepTheConnection() throws Exception {
        try (Socket s = t.connect()) {
            send(s, "POST /ignore-body HTTP/1.1\r\nHost: h\r\nContent-Length: 900\r\n\r\n" + "x".repeat(900)
                    + "GET /after HTTP/1.1\r\nHost: h\r\n\r\n");
            String first = readResponse(s.getInputStream());
            assertFalse(first.contains("Connection: close"), first);
            assertTrue(readResponse(s.getInputStream()).endsWith("GET /after h"));
        }
    }

    @Test
    void http10ClosesByDefaultAndKeepsAliveOnRequest() throws Exception {
        String res = t.exchange("GET /old HTTP/1.0\r\n\r\n");
        assertTrue(res.startsWith("HTTP/1.1 200 OK"), res);
        assertTrue(res.contains("Connection: close\r\n"), res);
        assertTrue(res.endsWith("GET /old null"), res);
        try (Socket s = t.connect()) {
            send(s, "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            String first = readResponse(s.getInputStream());
            assertTrue(first.contains("Connection: keep-alive\r\n"), first);
            send(s, "GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertTrue(readResponse(s.getInputStream()).endsWith("GET /b null"));
        }
    }

    @Test
    void http10GetsAStreamedBodyDelimitedByClose() throws Exception {
        String res = t.exchange("GET /flush HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertFalse(res.contains("Transfer-Encoding"), res);
        assertTrue(res.contains("Connection: close\r\n"), res);
        assertTrue(res.endsWith("\r\n\r\nab"), res);
    }

    @Test
    void flushedResponsesGoOutChunked() throws Exception {
        String res = t.exchange("GET /flush HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertTrue(res.contains("Transfer-Encoding: chunked\r\n"), res);
        assertTrue(res.endsWith("\r\n\r\n1\r\na\r\n1\r\nb\r\n0\r\n\r\n"), res);
    }

    @Test
    void headGetsTheHeadersOfGetWithoutABody() throws Exception {
        try (Socket s = t.connect()) {
            send(s, "HEAD /x HTTP/1.1\r\nHost: h\r\n\r\nGET /y HTTP/1.1\r\nHost: h\r\n\r\n");
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            assertTrue(head.toString().contains("Content-Length: 9\r\n"), head.toString());
            assertTrue(readResponse(in).startsWith("HTTP/1.1 200 OK"), "the next response follows at once");
        }
    }

    @Test
    void noContentHasNoLengthOrBody() throws Exception {
        String res = t.exchange("GET /no-content HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertTrue(res.startsWith("HTTP/1.1 204 No Content\r\n"), res);
        assertFalse(res.contains("Content-Length"), res);
        assertTrue(res.endsWith("\r\n\r\n"), res);
    }

    @Test
    void sendsInformationalResponsesBeforeTheFinalOne() throws Exception {
        String res = t.exchange("GET /hints HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertTrue(res.startsWith("HTTP/1.1 103 Early Hints\r\nLink: </app.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nLink: </app.css>; rel=preload\r\n"), res);
        assertTrue(res.endsWith("\r\n\r\npage"), res);
        String old = t.exchange("GET /hints HTTP/1.0\r\n\r\n");
        assertTrue(old.startsWith("HTTP/1.1 200 OK\r\n"), "no 1xx for HTTP/1.0: " + old);
    }

    @Test
    void acceptsAbsoluteFormTargets() throws Exception {
        String res = t.exchange("GET http://example.org/abs?q=1 HTTP/1.1\r\nHost: ignored\r\nConnection: close\r\n\r\n");
        assertTrue(res.endsWith("GET /abs example.org"), res);
    }

    @Test
    void sendsContinueOnlyWhenTheHandlerReadsTheBody() throws Exception {
        try (Socket s = t.connect()) {
            send(s, "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            InputStream in = s.getInputStream();
            byte[] interim = in.readNBytes(25);
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", new String(interim, "ISO-8859-1"));
            send(s, "ping");
            assertTrue(readResponse(in).endsWith("ping"));
        }
        String res = t.exchange("POST /ignore-body HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        assertFalse(res.contains("100 Continue"), res);
        assertTrue(res.contains("Connection: close\r\n"), "the unsent body makes the connection unusable: " + res);
    }

    @Test
    void handlerExceptionsBecome500AndCloseTheConnection() throws Exception {
        String res = t.exchange("GET /fail HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(500, status(res), res);
        assertTrue(res.contains("Connection: close"), res);
        String late = t.exchange("GET /fail-late HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(200, status(late), "the head was out already");
        assertFalse(late.endsWith("0\r\n\r\n"), "the chunked body is cut, so the client sees the failure");
    }

    @Test
    void exposesConnectionDetails() throws Exception {
        t.exchange("GET /who HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        Request r = last.get();
        assertEquals("127.0.0.1", r.remoteAddress().getAddress().getHostAddress());
        assertEquals(t.port(), r.localAddress().getPort());
        assertFalse(r.isTls());
        assertFalse(r.context().isCancelled());
    }
}
