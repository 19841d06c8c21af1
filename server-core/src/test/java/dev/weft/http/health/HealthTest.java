package dev.weft.http.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.weft.http.RecordingResponseWriter;
import dev.weft.http.Request;
import dev.weft.http.ServeMux;

class HealthTest {
    private final Health health = new Health();
    private final ServeMux mux = new ServeMux();

    private RecordingResponseWriter get(String path) throws Exception {
        health.register(mux);
        RecordingResponseWriter w = new RecordingResponseWriter();
        mux.serve(w, Request.newRequest("GET", path));
        return w;
    }

    /** The body with each duration replaced by N, since they vary. */
    private static String stable(String body) {
        return body.replaceAll("\"durationMs\":\\d+", "\"durationMs\":N");
    }

    @Test
    void liveIsAlwaysUp() throws Exception {
        health.addCheck("broken", Duration.ofSeconds(1), () -> {
            throw new IllegalStateException("down");
        });
        health.markNotReady();
        RecordingResponseWriter w = get("/health/live");
        assertEquals(200, w.status());
        assertEquals("{\"status\":\"UP\"}", w.bodyText());
        assertEquals("application/json", w.header("Content-Type"));
        assertEquals("no-store", w.header("Cache-Control"));
    }

    @Test
    void readyWithoutChecksIsUp() throws Exception {
        RecordingResponseWriter w = get("/health/ready");
        assertEquals(200, w.status());
        assertEquals("{\"status\":\"UP\",\"checks\":{}}", w.bodyText());
    }

    @Test
    void readyReportsEachCheckAndNamesTheFailingOne() throws Exception {
        health.addCheck("db", Duration.ofSeconds(2), () -> {})
                .addCheck("cache", Duration.ofSeconds(2), () -> {
                    throw new java.net.ConnectException("Connection refused");
                })
                .addCheck("queue", Duration.ofSeconds(2), () -> {
                    throw new IllegalStateException();
                });
        RecordingResponseWriter w = get("/health/ready");
        assertEquals(503, w.status());
        assertEquals("{\"status\":\"DOWN\",\"checks\":{"
                + "\"db\":{\"status\":\"UP\",\"durationMs\":N},"
                + "\"cache\":{\"status\":\"DOWN\",\"durationMs\":N,\"error\":\"ConnectException: Connection refused\"},"
                + "\"queue\":{\"status\":\"DOWN\",\"durationMs\":N,\"error\":\"IllegalStateException\"}}}",
                stable(w.bodyText()));
    }

    @Test
    void allChecksPassingIsUp() throws Exception {
        health.addCheck("a", Duration.ofSeconds(2), () -> {}).addCheck("b", Duration.ofSeconds(2), () -> {});
        RecordingResponseWriter w = get("/health/ready");
        assertEquals(200, w.status());
        assertEquals("{\"status\":\"UP\",\"checks\":{\"a\":{\"status\":\"UP\",\"durationMs\":N},"
                + "\"b\":{\"status\":\"UP\",\"durationMs\":N}}}", stable(w.bodyText()));
    }

    @Test
    void checksRunConcurrently() throws Exception {
        // Each check waits for the other: they pass only if both run at the same time.
        CyclicBarrier both = new CyclicBarrier(2);
        health.addCheck("left", Duration.ofSeconds(10), () -> both.await(10, TimeUnit.SECONDS))
                .addCheck("right", Duration.ofSeconds(10), () -> both.await(10, TimeUnit.SECONDS));
        assertEquals(200, get("/health/ready").status());
    }

    @Test
    void aCheckOverrunningItsTimeoutIsDownAndInterrupted() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        health.addCheck("slow", Duration.ofMillis(50), () -> {
            try {
                new CountDownLatch(1).await(); // hangs until the health endpoint interrupts it
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }).addCheck("fast", Duration.ofSeconds(5), () -> {});
        RecordingResponseWriter w = get("/health/ready");
        assertEquals(503, w.status());
        assertEquals("{\"status\":\"DOWN\",\"checks\":{"
                + "\"slow\":{\"status\":\"DOWN\",\"durationMs\":N,\"error\":\"timed out after 50ms\"},"
                + "\"fast\":{\"status\":\"UP\",\"durationMs\":N}}}", stable(w.bodyText()));
        assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the overrunning check was interrupted");
    }

    @Test
    void afterMarkNotReadyReadinessIsShuttingDownWithoutRunningChecks() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        health.addCheck("db", Duration.ofSeconds(1), ran::countDown);
        assertTrue(health.isReady());
        health.markNotReady();
        RecordingResponseWriter w = get("/health/ready");
        assertEquals(503, w.status());
        assertEquals("{\"status\":\"SHUTTING_DOWN\"}", w.bodyText());
        assertEquals(1, ran.getCount(), "checks do not run once shutting down");
        assertTrue(!health.isReady());
    }

    @Test
    void headIsAnsweredLikeGet() throws Exception {
        health.register(mux);
        RecordingResponseWriter w = new RecordingResponseWriter();
        mux.serve(w, Request.newRequest("HEAD", "/health/ready"));
        assertEquals(200, w.status());
    }

    @Test
    void namesAndMessagesAreEscaped() throws Exception {
        health.addCheck("we\"ird\\name", Duration.ofSeconds(2), () -> {
            throw new Exception("line1\nline2\t\"q\" \u0001 é ☃ \ud800");
        });
        String body = stable(get("/health/ready").bodyText());
        assertEquals("{\"status\":\"DOWN\",\"checks\":{\"we\\\"ird\\\\name\":{\"status\":\"DOWN\",\"durationMs\":N,"
                + "\"error\":\"Exception: line1\\nline2\\t\\\"q\\\" \\u0001 é ☃ \\ud800\"}}}", body);
    }

    @Test
    void badRegistrationsAreRefused() {
        health.addCheck("db", Duration.ofSeconds(1), () -> {});
        assertThrows(IllegalArgumentException.class, () -> health.addCheck("db", Duration.ofSeconds(1), () -> {}));
        assertThrows(IllegalArgumentException.class, () -> health.addCheck("x", Duration.ZERO, () -> {}));
        assertThrows(IllegalArgumentException.class, () -> health.addCheck("y", Duration.ofSeconds(-1), () -> {}));
        assertThrows(NullPointerException.class, () -> health.addCheck("z", Duration.ofSeconds(1), null));
    }
}
