package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The access log goes to SLF4J logger dev.weft.http.access (Logback writes it to System.err, see weft-logging). */
class AccessLogTest {
    private static String capture(boolean accessLog) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (TestServer t = TestServer.start((w, r) -> w.write("ok"), Map.of("accessLog", accessLog))) {
            t.exchange("GET /logged?x=1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void logsOneLinePerRequestWhenEnabled() throws Exception {
        String log = capture(true);
        assertTrue(log.contains("dev.weft.http.access - 127.0.0.1 \"GET /logged?x=1 HTTP/1.1\" 200 2 "), log);
    }

    @Test
    void isOffByDefault() throws Exception {
        assertFalse(ServerConfig.defaults().accessLog());
        assertFalse(capture(false).contains("dev.weft.http.access"));
    }
}
