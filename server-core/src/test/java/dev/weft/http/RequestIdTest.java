package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The request id through a real server: taken or made, in the MDC, echoed, and in the server's own log lines. */
class RequestIdTest {
    /** What a handler behind the middleware saw. */
    private final AtomicReference<String> mdc = new AtomicReference<>();
    private final AtomicReference<String> header = new AtomicReference<>();
    private final AtomicReference<String> mdcAfter = new AtomicReference<>("unset");

    /** A handler that records the id it sees, behind the middleware, and the MDC once the middleware returned. */
    private Handler recording(Handler inner) {
        Handler withId = RequestId.middleware().wrap((w, r) -> {
            mdc.set(MDC.get(RequestId.MDC_KEY));
            header.set(r.header(RequestId.HEADER));
            inner.serve(w, r);
        });
        return (w, r) -> {
            try {
                withId.serve(w, r);
            } finally {
                mdcAfter.set(MDC.get(RequestId.MDC_KEY));
            }
        };
    }

    private String get(TestServer t, String extraHeader) throws Exception {
        return t.exchange("GET /x HTTP/1.1\r\nHost: h\r\n" + extraHeader + "Connection: close\r\n\r\n");
    }

    private static String responseId(String response) {
        for (String line : response.split("\r\n")) {
            if (line.regionMatches(true, 0, "X-Request-Id: ", 0, 14)) {
                return line.substring(14);
            }
            if (line.isEmpty()) {
                break;
            }
        }
        return null;
    }

    @Test
    void aRequestWithoutAnIdGetsANewOneThatItsHandlerAndItsResponseShare() throws Exception {
        try (TestServer t = TestServer.start(recording((w, r) -> w.write("ok")))) {
            String response = get(t, "");
            String id = responseId(response);
            assertTrue(id != null && id.matches("[0-9a-f]{32}"), response);
            assertEquals(id, mdc.get(), "in the MDC while the handler runs");
            assertEquals(id, header.get(), "and in the request's own header, for whatever forwards it");
            assertNull(mdcAfter.get(), "removed from the MDC when the handler returns");
            assertFalse(id.equals(responseId(get(t, ""))), "the next request gets another");
        }
    }

    @Test
    void aUsableIdFromTheClientIsKept() throws Exception {
        String amazon = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8";
        try (TestServer t = TestServer.start(recording((w, r) -> w.write("ok")))) {
            for (String id : new String[] {amazon, "0af7651916cd43dd8448eb211c80319c", "x".repeat(128), "!~"}) {
                assertEquals(id, responseId(get(t, "X-Request-Id: " + id + "\r\n")));
                assertEquals(id, mdc.get());
                assertEquals(id, header.get());
            }
        }
    }

    @Test
    void anUnusableIdIsReplacedEverywhere() throws Exception {
        try (TestServer t = TestServer.start(recording((w, r) -> w.write("ok")))) {
            for (String bad : new String[] {"", "two words", "x".repeat(129), "caf\u00e9", "tab\there"}) {
                String response = get(t, "X-Request-Id: " + bad + "\r\n");
                String id = responseId(response);
                assertTrue(id != null && id.matches("[0-9a-f]{32}"), "'" + bad + "' was replaced: " + response);
                assertEquals(id, mdc.get());
                assertEquals(id, header.get(), "the request's header holds the id that replaced it");
            }
        }
    }

    @Test
    void theMdcIsClearedWhenTheHandlerFailsAndTheErrorResponseKeepsTheId() throws Exception {
        try (TestServer t = TestServer.start(recording((w, r) -> {
            throw new IllegalStateException("boom");
        }))) {
            String response = get(t, "X-Request-Id: fail-1\r\n");
            assertEquals(500, TestServer.status(response), response);
            assertEquals("fail-1", responseId(response), "a user reporting the 500 can quote the id");
            assertNull(mdcAfter.get());
        }
    }

    @Test
    void theHandlersLogTheAccessLogAndTheServersFailureLineCarryTheId() throws Exception {
        String log = captureStandardError(() -> {
            try (TestServer t = TestServer.start(recording((w, r) -> {
                LoggerFactory.getLogger("dev.weft.test.handler").info("handling {}", r.path());
                if (r.queryParam("fail") != null) {
                    throw new IllegalStateException("boom");
                }
                w.write("ok");
            }), Map.of("accessLog", true))) {
                t.exchange("GET /ok HTTP/1.1\r\nHost: h\r\nX-Request-Id: req-42\r\nConnection: close\r\n\r\n");
                t.exchange("GET /bad?fail=1 HTTP/1.1\r\nHost: h\r\nX-Request-Id: req-43\r\nConnection: close\r\n\r\n");
            }
        });
        assertTrue(log.contains("dev.weft.test.handler [request_id=req-42] - handling /ok"), log);
        assertTrue(log.contains("dev.weft.http.access [request_id=req-42] - 127.0.0.1 \"GET /ok HTTP/1.1\" 200 2 "),
                log);
        assertTrue(log.contains("ERROR dev.weft.http.Connection [request_id=req-43] - handler failed on GET /bad"),
                log);
        assertTrue(log.contains("dev.weft.http.access [request_id=req-43] - 127.0.0.1 \"GET /bad?fail=1 HTTP/1.1\""
                + " 500 "), log);
    }

    @Test
    void usableMeansOneTo128VisibleAsciiCharacters() {
        assertTrue(RequestId.isUsable("a"));
        assertTrue(RequestId.isUsable("!".repeat(128)));
        assertTrue(RequestId.isUsable("~"));
        assertFalse(RequestId.isUsable(""));
        assertFalse(RequestId.isUsable("a".repeat(129)));
        assertFalse(RequestId.isUsable("a b"));
        assertFalse(RequestId.isUsable("a\u007f"));
        assertFalse(RequestId.isUsable("a\r\nX-Injected: 1"));
        assertFalse(RequestId.isUsable("\u00ff"));
    }

    @Test
    void newIdsAre32HexDigitsAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = RequestId.newId();
            assertTrue(id.matches("[0-9a-f]{32}"), id);
            assertTrue(seen.add(id), "repeated: " + id);
        }
    }

    @Test
    void ofGivesARequestOneIdHoweverOftenItIsAsked() {
        Request r = Request.newRequest("GET", "/x");
        String id = RequestId.of(r);
        assertEquals(id, RequestId.of(r));
        assertEquals(id, r.header(RequestId.HEADER));
    }

    private interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} with standard error (where Logback writes, see weft-logging) captured; returns it. */
    private static String captureStandardError(Body body) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
