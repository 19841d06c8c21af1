package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.weft.http.h2.ConnectionPreface;
import dev.weft.http.h2.ErrorCode;
import dev.weft.http.h2.FieldBlock;
import dev.weft.http.h2.FrameFlags;
import dev.weft.http.h2.FrameType;
import dev.weft.http.h2.FrameWriter;
import dev.weft.http.h2.Setting;

/**
 * The server's HTTP/2 over raw frames: each test names the rule of RFC 9113 it checks. Errors are checked by their
 * code and scope: GOAWAY and the end of the connection for a connection error, RST_STREAM for a stream error, with
 * the connection still serving.
 */
class Http2ServerTest {
    private static final byte[] BIG = new byte[200_000];

    static {
        for (int i = 0; i < BIG.length; i++) {
            BIG[i] = (byte) ('a' + i % 26);
        }
    }

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    private Server server;

    private final Handler handler = (w, r) -> {
        switch (r.path()) {
            case "/hello" -> {
                w.headers().set("Content-Type", "text/plain");
                w.write("hello " + r.protocol() + " " + r.host());
            }
            case "/echo" -> {
                byte[] body = r.body().readAllBytes();
                w.headers().set("x-request-trailer", String.valueOf(r.trailers().get("x-checksum")));
                w.headers().set("x-content-length", Long.toString(r.contentLength()));
                w.write(body);
                w.headers().set("Trailer:x-length", Integer.toString(body.length));
            }
            case "/big" -> w.write(BIG);
            case "/streamed" -> {
                w.write("first ");
                w.flush();
                w.write("second");
            }
            case "/slow" -> {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                w.write("finally");
            }
            case "/fail" -> throw new IllegalStateException("handler failure for the test");
            default -> w.writeHeader(404);
        }
    };

    private RawClient connect(Setting... settings) throws IOException {
        if (server == null) {
            server = Servers.start(handler, Map.of("maxConcurrentStreams", 4, "maxBodyBytes", 100_000,
                    "maxHeaderBytes", 4096), null);
        }
        return RawClient.connect(server.address().getPort(), settings);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    /** Sections 3.4 and 6.5: the server's first frame is SETTINGS, and it acknowledges the client's. */
    @Test
    void prefaceIsAnsweredWithSettingsAndTheClientsSettingsAreAcknowledged() throws IOException {
        server = Servers.start(handler);
        try (RawClient c = RawClient.open(server.address().getPort())) {
            c.send(ConnectionPreface.bytes(), c.settings(new Setting(Setting.INITIAL_WINDOW_SIZE, 100_000)));
            RawClient.In settings = c.next();
            assertEquals(FrameType.SETTINGS, settings.type());
            assertEquals(0, settings.flags(), "not an acknowledgement");
            assertEquals(0, settings.payload().length % 6);
            boolean maxStreams = false;
            for (int i = 0; i < settings.payload().length; i += 6) {
                int id = (settings.payload()[i] & 0xFF) << 8 | settings.payload()[i + 1] & 0xFF;
                maxStreams |= id == Setting.MAX_CONCURRENT_STREAMS && settings.int32(i + 2) == 100;
                assertFalse(id == Setting.ENABLE_PUSH && settings.int32(i + 2) != 0, "a server never sends push 1");
            }
            assertTrue(maxStreams, "SETTINGS_MAX_CONCURRENT_STREAMS 100 announced");
            RawClient.In ack = c.expect(FrameType.SETTINGS);
            assertTrue(ack.has(FrameFlags.ACK));
            assertEquals(0, ack.payload().length);
        }
    }

    @Test
    void servesARequestWithTheHandlerApi() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(1, true, RawClient.request("GET", "/hello")));
            RawClient.Response r = c.response(1);
            assertEquals(200, r.status());
            assertEquals("hello HTTP/2.0 localhost", r.text());
            assertEquals("text/plain", r.headers().get("content-type"));
            assertEquals("24", r.headers().get("content-length"));
            assertEquals("weft", r.headers().get("server"));
            assertTrue(r.headers().contains("date"));
            for (int i = 0; i < r.headers().size(); i++) {
                String name = r.headers().name(i);
                assertEquals(name.toLowerCase(), name, "field names in lower case (8.2)");
            }
            // the dynamic table carries over: a second request on the connection decodes
            c.send(c.headers(3, true, RawClient.request("GET", "/hello")));
            assertEquals("hello HTTP/2.0 localhost", c.response(3).text());
        }
    }

    @Test
    void unknownPathsAndHandlerFailuresAreAnsweredAndTheConnectionCarriesOn() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(1, true, RawClient.request("GET", "/nothing")));
            assertEquals(404, c.response(1).status());
            c.send(c.headers(3, true, RawClient.request("GET", "/fail")));
            assertEquals(500, c.response(3).status());
            c.send(c.headers(5, true, RawClient.request("GET", "/hello")));
            assertEquals(200, c.response(5).status());
        }
    }

    @Test
    void headAnswersTheLengthWithoutData() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(1, true, RawClient.request("HEAD", "/hello")));
            RawClient.In h = c.expect(FrameType.HEADERS);
            assertTrue(h.has(FrameFlags.END_STREAM), "the head ends the stream");
            Headers fields = c.fields(h);
            assertEquals("24", fields.get("content-length"));
        }
    }

    /** Section 8.1: a body in DATA frames, streamed into the handler, then a trailer section; trailers sent back. */
    @Test
    void requestBodyAndTrailersReachTheHandlerAndResponseTrailersAreSent() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(1, false, RawClient.request("POST", "/echo", "content-length", "11")),
                    RawClient.data(1, "hello ".getBytes(), false), RawClient.data(1, "world".getBytes(), false));
            c.send(c.headers(1, true, "x-checksum", "abc"));
            RawClient.Response r = c.response(1);
            assertEquals(200, r.status());
            assertEquals("hello world", r.text());
            assertEquals("abc", r.headers().get("x-request-trailer"));
            assertEquals("11", r.headers().get("x-content-length"));
            assertEquals("11", r.trailers().get("x-length"));
        }
    }

    /** Section 6.9: a body larger than the stream's window flows as the handler reads it. */
    @Test
    void aBodyLargerThanTheWindowsIsCreditedAsTheHandlerReadsIt() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(1, false, RawClient.request("POST", "/echo")));
            byte[] chunk = Arrays.copyOf(BIG, 16_384);
            int sent = 0;
            long window = 65_535;
            while (sent < 98_304) {
                while (window < chunk.length) {
                    RawClient.In f = c.expect(FrameType.WINDOW_UPDATE);
                    if (f.streamId() == 1) {
                        window += f.int32(0);
                    }
                }
                c.send(RawClient.data(1, chunk, false));
                window -= chunk.length;
                sent += chunk.length;
            }
            c.send(RawClient.data(1, new byte[0], true));
            RawClient.Response r = c.response(1);
            assertEquals(98_304, r.body().length);
            assertEquals("-1", r.headers().get("x-content-length"));
        }
    }

    /** Section 6.9: the server sends no more than the client's windows allow, and resumes on WINDOW_UPDATE. */
    @Test
    void responsesRespectTheClientsFlowControlWindows() throws IOException {
        try (RawClient c = connect(new Setting(Setting.INITIAL_WINDOW_SIZE, 1000))) {
            c.send(c.headers(1, true, RawClient.request("GET", "/big")));
            c.expect(FrameType.HEADERS);
            RawClient.In d = c.expect(FrameType.DATA);
            assertEquals(1000, d.payload().length, "the stream window of 1000 octets");
            assertFalse(d.has(FrameFlags.END_STREAM));
            c.send(RawClient.windowUpdate(1, 500));
            RawClient.In more = c.expect(FrameType.DATA);
            assertEquals(500, more.payload().length);
            // the connection window (65,535) now limits: open the stream wide, the connection by what was sent
            c.send(RawClient.windowUpdate(1, 1 << 20));
            int received = 1500;
            while (received < 65_535) {
                received += c.expect(FrameType.DATA).payload().length;
            }
            assertEquals(65_535, received, "never past the connection window");
            c.send(RawClient.windowUpdate(0, BIG.length));
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            while (true) {
                RawClient.In f = c.expect(FrameType.DATA);
                rest.write(f.payload());
                assertTrue(f.payload().length <= 16_384, "frames within SETTINGS_MAX_FRAME_SIZE");
                if (f.has(FrameFlags.END_STREAM)) {
                    break;
                }
            }
            assertEquals(BIG.length - 65_535, rest.size());
        }
    }

    @Test
    void aFlushedResponseStreamsAsDataFrames() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(1, true, RawClient.request("GET", "/streamed")));
            RawClient.Response r = c.response(1);
            assertEquals("first second", r.text());
            assertNull(r.headers().get("content-length"), "the length was not known when the head left");
        }
    }

    /** RFC 9110 section 10.1.1 over HTTP/2: 100 (Continue) before the first read of the body. */
    @Test
    void expectContinueGetsAnInterimResponse() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(1, false, RawClient.request("POST", "/echo", "expect", "100-continue")));
            RawClient.In interim = c.expect(FrameType.HEADERS);
            Headers fields = c.fields(interim);
            assertEquals("100", fields.get(":status"));
            assertFalse(interim.has(FrameFlags.END_STREAM));
            c.send(RawClient.data(1, "body".getBytes(), true));
            assertEquals("body", c.response(1).text());
        }
    }

    /** Section 3.4: a connection whose preface is not followed by SETTINGS is a PROTOCOL_ERROR. */
    @Test
    void prefaceNotFollowedBySettingsIsAConnectionError() throws IOException {
        server = Servers.start(handler);
        try (RawClient c = RawClient.open(server.address().getPort())) {
            c.send(ConnectionPreface.bytes(), RawClient.ping(1));
            c.expectGoAway(ErrorCode.PROTOCOL_ERROR);
        }
    }

    /** Section 4.2: a frame above SETTINGS_MAX_FRAME_SIZE is a FRAME_SIZE_ERROR. */
    @Test
    void oversizedFrameIsAFrameSizeError() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(1, false, RawClient.request("POST", "/echo")), RawClient.data(1, new byte[16_385],
                    true));
            c.expectGoAway(ErrorCode.FRAME_SIZE_ERROR);
        }
    }

    /** Section 4.3: a field block that does not decode is a COMPRESSION_ERROR. */
    @Test
    void undecodableFieldBlockIsACompressionError() throws IOException {
        try (RawClient c = connect()) {
            c.send(RawClient.raw(FrameType.HEADERS, FrameFlags.END_HEADERS | FrameFlags.END_STREAM, 1,
                    new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x7F}));
            c.expectGoAway(ErrorCode.COMPRESSION_ERROR);
        }
    }

    /** Section 4.3: a field block is contiguous; any other frame in it is a PROTOCOL_ERROR. */
    @Test
    void frameInsideAFieldBlockIsAProtocolError() throws IOException {
        try (RawClient c = connect()) {
            FieldBlock b = c.block(RawClient.request("GET", "/hello"));
            byte[] part = Arrays.copyOf(b.array(), 3);
            c.send(RawClient.raw(FrameType.HEADERS, FrameFlags.END_STREAM, 1, part), RawClient.ping(7));
            c.expectGoAway(ErrorCode.PROTOCOL_ERROR);
        }
    }

    /** Section 4.3 and 6.10: a block split over CONTINUATION frames is put back together. */
    @Test
    void fieldBlockInContinuationFramesIsServed() throws IOException {
        try (RawClient c = connect()) {
            FieldBlock b = c.block(RawClient.request("GET", "/hello"));
            byte[] all = Arrays.copyOf(b.array(), b.length());
            c.send(RawClient.raw(FrameType.HEADERS, FrameFlags.END_STREAM, 1, Arrays.copyOfRange(all, 0, 4)),
                    RawClient.raw(FrameType.CONTINUATION, 0, 1, Arrays.copyOfRange(all, 4, 8)),
                    RawClient.raw(FrameType.CONTINUATION, FrameFlags.END_HEADERS, 1,
                            Arrays.copyOfRange(all, 8, all.length)));
            assertEquals(200, c.response(1).status());
        }
    }

    /** Section 5.1.1: a client's stream identifiers are odd and increasing. */
    @Test
    void evenStreamIdentifierIsAProtocolError() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(2, true, RawClient.request("GET", "/hello")));
            c.expectGoAway(ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void decreasingStreamIdentifierIsAProtocolError() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(5, true, RawClient.request("GET", "/hello")));
            c.response(5);
            c.send(c.headers(3, true, RawClient.request("GET", "/hello")));
            c.expectGoAway(ErrorCode.PROTOCOL_ERROR);
        }
    }

    /** Section 5.1: DATA on an idle stream is a PROTOCOL_ERROR. */
    @Test
    void dataOnAnIdleStreamIsAProtocolError() throws IOException {
        try (RawClient c = connect()) {
            c.send(RawClient.data(1, "x".getBytes(), true));
            c.expectGoAway(ErrorCode.PROTOCOL_ERROR);
        }
    }

    /** Section 5.1: DATA after the client's END_STREAM (half-closed remote) is a stream error STREAM_CLOSED. */
    @Test
    void dataAfterEndStreamIsAStreamClosedError() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(1, true, RawClient.request("GET", "/slow")));
            awaitEntered();
            c.send(RawClient.data(1, "x".getBytes(), false));
            c.expectReset(1, ErrorCode.STREAM_CLOSED);
            c.send(c.headers(3, true, RawClient.request("GET", "/hello")));
            assertEquals(200, c.response(3).status(), "the connection carries on");
        }
    }

    /** Sections 5.1.2 and 6.5.2: streams beyond SETTINGS_MAX_CONCURRENT_STREAMS are refused. */
    @Test
    void streamsBeyondTheConcurrencyLimitAreRefused() throws IOException {
        try (RawClient c = connect()) {
            for (int id = 1; id <= 7; id += 2) {
                c.send(c.headers(id, true, RawClient.request("GET", "/slow")));
            }
            c.send(c.headers(9, true, RawClient.request("GET", "/slow")));
            c.expectReset(9, ErrorCode.REFUSED_STREAM);
            release.countDown();
            for (int id = 1; id <= 7; id += 2) {
                assertEquals("finally", c.response(id).text());
            }
        }
    }

    /** Section 6.9.1: a connection window past 2^31-1 is a connection FLOW_CONTROL_ERROR. */
    @Test
    void connectionWindowOverflowIsAFlowControlError() throws IOException {
        try (RawClient c = connect()) {
            c.send(RawClient.windowUpdate(0, Integer.MAX_VALUE));
            c.expectGoAway(ErrorCode.FLOW_CONTROL_ERROR);
        }
    }

    /** Section 6.9.1: a stream window past 2^31-1 is a stream FLOW_CONTROL_ERROR. */
    @Test
    void streamWindowOverflowIsAStreamFlowControlError() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(1, true, RawClient.request("GET", "/slow")));
            awaitEntered();
            c.send(RawClient.windowUpdate(1, Integer.MAX_VALUE));
            c.expectReset(1, ErrorCode.FLOW_CONTROL_ERROR);
        }
    }

    /** Section 6.9: an increment of 0 is a PROTOCOL_ERROR, of the stream or of the connection. */
    @Test
    void zeroWindowIncrementIsAProtocolError() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(1, true, RawClient.request("GET", "/slow")));
            awaitEntered();
            c.send(RawClient.windowUpdate(1, 0));
            c.expectReset(1, ErrorCode.PROTOCOL_ERROR);
            c.send(RawClient.windowUpdate(0, 0));
            c.expectGoAway(ErrorCode.PROTOCOL_ERROR);
        }
    }

    /** Section 6.9.1: DATA beyond the stream's receive window is a FLOW_CONTROL_ERROR. */
    @Test
    void dataBeyondTheWindowIsAFlowControlError() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(1, false, RawClient.request("POST", "/slow")));
            byte[] chunk = new byte[16_384];
            for (int i = 0; i < 4; i++) {
                c.send(RawClient.data(1, chunk, false));
            }
            c.send(RawClient.data(1, new byte[16_384], false));
            c.expectReset(1, ErrorCode.FLOW_CONTROL_ERROR);
        }
    }

    /** Section 6.5.2: settings out of range are connection errors of the codes given. */
    @Test
    void settingsOutOfRangeAreConnectionErrors() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.settings(new Setting(Setting.ENABLE_PUSH, 2)));
            c.expectGoAway(ErrorCode.PROTOCOL_ERROR);
        }
        try (RawClient c = connect()) {
            c.send(c.settings(new Setting(Setting.INITIAL_WINDOW_SIZE, 1L << 31)));
            c.expectGoAway(ErrorCode.FLOW_CONTROL_ERROR);
        }
        try (RawClient c = connect()) {
            c.send(c.settings(new Setting(Setting.MAX_FRAME_SIZE, 100)));
            c.expectGoAway(ErrorCode.PROTOCOL_ERROR);
        }
        try (RawClient c = connect()) {
            c.send(RawClient.raw(FrameType.SETTINGS, 0, 0, new byte[5]));
            c.expectGoAway(ErrorCode.FRAME_SIZE_ERROR);
        }
    }

    /** Section 6.7: a PING is answered with the same data and ACK; an ACK is not answered. */
    @Test
    void pingIsEchoed() throws IOException {
        try (RawClient c = connect()) {
            c.send(RawClient.ping(0x0102030405060708L));
            RawClient.In pong = c.expect(FrameType.PING);
            assertTrue(pong.has(FrameFlags.ACK));
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, pong.payload());
        }
    }

    /** Section 6.4: RST_STREAM on an idle stream is a PROTOCOL_ERROR. */
    @Test
    void resetOfAnIdleStreamIsAProtocolError() throws IOException {
        try (RawClient c = connect()) {
            c.send(RawClient.rstStream(1, ErrorCode.CANCEL));
            c.expectGoAway(ErrorCode.PROTOCOL_ERROR);
        }
    }

    /** Sections 4.1, 5.5 and 5.3.2: unknown frame types and PRIORITY are ignored. */
    @Test
    void unknownFramesAndPriorityAreIgnored() throws IOException {
        try (RawClient c = connect()) {
            c.send(RawClient.raw(0x42, 0xFF, 0, new byte[3]), RawClient.raw(FrameType.PRIORITY, 0, 1, new byte[5]),
                    c.headers(1, true, RawClient.request("GET", "/hello")));
            assertEquals(200, c.response(1).status());
        }
    }

    /** Section 8.1.1: a malformed request is a stream error PROTOCOL_ERROR; the connection carries on. */
    @Test
    void malformedRequestsAreStreamErrors() throws IOException {
        try (RawClient c = connect()) {
            String[][] malformed = {
                    RawClient.request("GET", "/hello", "Upper", "x"),
                    RawClient.request("GET", "/hello", "connection", "keep-alive"),
                    {":scheme", "http", ":path", "/hello"},
                    RawClient.request("GET", "/hello", "content-length", "5"),
                    {":method", "GET", ":scheme", "http", ":path", "/hello", ":path", "/again"},
                    RawClient.request("GET", "/hello", "te", "gzip"),
            };
            int id = 1;
            for (String[] fields : malformed) {
                c.send(c.headers(id, true, fields));
                c.expectReset(id, ErrorCode.PROTOCOL_ERROR);
                id += 2;
            }
            c.send(c.headers(id, false, RawClient.request("POST", "/echo", "content-length", "3")),
                    RawClient.data(id, "four".getBytes(), true));
            c.expectReset(id, ErrorCode.PROTOCOL_ERROR);
            id += 2;
            c.send(c.headers(id, true, RawClient.request("GET", "/hello")));
            assertEquals(200, c.response(id).status());
        }
    }

    /** The HTTP/1.1 limits: 431 for a header list past maxHeaderBytes, 413 for a body past maxBodyBytes. */
    @Test
    void headerAndBodyLimitsAreAnswered() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(1, true, RawClient.request("GET", "/hello", "x-big", "v".repeat(5000))));
            assertEquals(431, c.response(1).status());
            c.send(c.headers(3, false, RawClient.request("POST", "/echo", "content-length", "200000")));
            assertEquals(413, c.response(3).status());
            c.send(c.headers(5, true, RawClient.request("GET", "/hello")));
            assertEquals(200, c.response(5).status(), "the connection carries on");
        }
    }

    /** Section 6.8: the client's GOAWAY lets the streams it opened finish; then the server closes. */
    @Test
    void clientGoAwayLetsOpenStreamsFinish() throws IOException {
        try (RawClient c = connect()) {
            c.send(c.headers(1, true, RawClient.request("GET", "/slow")));
            awaitEntered();
            c.send(RawClient.frame(17, (b, at) -> FrameWriter.goAway(b, at, 0, ErrorCode.NO_ERROR, new byte[0])));
            release.countDown();
            assertEquals("finally", c.response(1).text());
            c.expectClosed();
        }
    }

    /** Graceful shutdown: GOAWAY with the last stream, the stream in flight finishes, the report counts it. */
    @Test
    void shutdownSendsGoAwayAndLetsOpenStreamsFinish() throws Exception {
        try (RawClient c = connect()) {
            c.send(c.headers(1, true, RawClient.request("GET", "/slow")));
            awaitEntered();
            Thread stopper = Thread.ofVirtual().start(() -> {
                ShutdownReport report = server.shutdown(Duration.ofSeconds(10));
                reports[0] = report;
            });
            RawClient.In goAway = c.expect(FrameType.GOAWAY);
            assertEquals(ErrorCode.NO_ERROR, goAway.errorCode());
            assertEquals(1, goAway.int32(0), "the last stream opened");
            release.countDown();
            assertEquals("finally", c.response(1).text());
            c.expectClosed();
            stopper.join(10_000);
            assertEquals(1, reports[0].finished(), reports[0].toString());
            assertTrue(reports[0].graceful());
        }
    }

    private final ShutdownReport[] reports = new ShutdownReport[1];

    /** At the shutdown deadline the streams still running are cut and named in the report. */
    @Test
    void shutdownDeadlineCutsStreamsAndNamesThem() throws Exception {
        try (RawClient c = connect()) {
            c.send(c.headers(1, true, RawClient.request("GET", "/slow")));
            awaitEntered();
            ShutdownReport report = server.shutdown(Duration.ofMillis(200));
            assertEquals(1, report.forceClosed(), report.toString());
            assertEquals(1, report.cutRequests().size());
            assertTrue(report.cutRequests().getFirst().startsWith("GET /slow (HTTP/2 stream 1) from "),
                    report.cutRequests().toString());
        }
    }

    /** The idle timeout closes a connection without streams, with GOAWAY NO_ERROR. */
    @Test
    void idleConnectionIsClosed() throws IOException {
        server = Servers.start(handler, Map.of("idleTimeout", Duration.ofMillis(300)), null);
        try (RawClient c = RawClient.connect(server.address().getPort())) {
            c.send(c.headers(1, true, RawClient.request("GET", "/hello")));
            c.response(1);
            c.expectGoAway(ErrorCode.NO_ERROR);
        }
    }

    /** The HTTP/1.1 path is unchanged on the same port, a request starting with P included. */
    @Test
    void http11StillServedOnTheSamePort() throws IOException {
        server = Servers.start(handler);
        for (String method : new String[] {"GET", "PUT", "POST"}) {
            try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write((method + " /hello HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = s.getInputStream();
                String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(response.startsWith("HTTP/1.1 200 OK"), response);
                assertTrue(response.endsWith("hello HTTP/1.1 h"), response);
            }
        }
    }

    private void awaitEntered() {
        try {
            assertTrue(entered.await(5, TimeUnit.SECONDS), "the handler started");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
