package dev.weft.service.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.weft.dbpool.PoolExhaustedException;
import dev.weft.http.Handler;
import dev.weft.http.Headers;
import dev.weft.http.Request;
import dev.weft.http.Responses;
import dev.weft.http.ResponseWriter;

class PoolExhaustedMiddlewareTest {
    private static final PoolExhaustedException EXHAUSTED = new PoolExhaustedException("orders",
            PoolExhaustedException.Reason.TIMED_OUT, Duration.ofSeconds(10), Duration.ofMillis(2500), "", null);

    @Test
    void exhaustionBecomes503WithRetryAfterEvenWhenWrapped() throws Exception {
        Handler failing = (w, r) -> { throw new RuntimeException("query failed", EXHAUSTED); };
        Writer w = new Writer();
        new PoolExhaustedMiddleware().wrap(failing).serve(w, Request.newRequest("GET", "/orders"));
        assertEquals(503, w.status());
        assertEquals("3", w.headers().get("Retry-After"));
        assertTrue(w.text().contains("retry in 3 s"), w.text());
    }

    @Test
    void theServiceWritesTheBodyInItsOwnFormat() throws Exception {
        Handler failing = (w, r) -> { throw EXHAUSTED; };
        Writer w = new Writer();
        new PoolExhaustedMiddleware((out, status, message) -> Responses.json(out, status,
                ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8)))
                .wrap(failing).serve(w, Request.newRequest("GET", "/orders"));
        assertEquals(503, w.status());
        assertEquals("3", w.headers().get("Retry-After"));
        assertEquals("application/json", w.headers().get("Content-Type"));
        assertEquals("{\"error\":\"service busy: the database has no free connection, retry in 3 s\"}", w.text());
    }

    @Test
    void otherExceptionsAndCommittedResponsesPassThrough() {
        Handler other = (w, r) -> { throw new UncheckedIOException(new IOException("disk")); };
        assertThrows(UncheckedIOException.class,
                () -> new PoolExhaustedMiddleware().wrap(other).serve(new Writer(), Request.newRequest("GET", "/")));

        Handler late = (w, r) -> {
            w.writeHeader(200);
            throw EXHAUSTED;
        };
        Writer w = new Writer();
        PoolExhaustedException e = assertThrows(PoolExhaustedException.class,
                () -> new PoolExhaustedMiddleware().wrap(late).serve(w, Request.newRequest("GET", "/")));
        assertSame(EXHAUSTED, e);
        assertEquals(200, w.status());
    }

    /** A ResponseWriter that keeps what was written. */
    private static final class Writer implements ResponseWriter {
        private final Headers headers = new Headers();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int status;

        @Override public Headers headers() { return headers; }
        @Override public void writeHeader(int code) { if (status == 0) { status = code; } }
        @Override public void write(byte[] b, int off, int len) { writeHeader(200); body.write(b, off, len); }
        @Override public void write(String text) { byte[] b = text.getBytes(StandardCharsets.UTF_8); write(b, 0, b.length); }
        @Override public void flush() {}
        @Override public OutputStream body() { return body; }
        @Override public boolean committed() { return status != 0; }
        @Override public int status() { return status; }

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }
}
