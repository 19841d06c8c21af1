package dev.weft.http;

import static dev.weft.http.TestServer.readAll;
import static dev.weft.http.TestServer.readResponse;
import static dev.weft.http.TestServer.send;
import static dev.weft.http.TestServer.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** readHeaderTimeout, readTimeout, idleTimeout and writeTimeout, each against a misbehaving client. */
class DeadlineTest {
    private static final Map<String, Duration> FAST = Map.of("readHeaderTimeout", Duration.ofMillis(300),
            "readTimeout", Duration.ofMillis(600), "idleTimeout", Duration.ofMillis(400),
            "writeTimeout", Duration.ofMillis(300));

    @Test
    void aTricklingClientIsCutOffByReadHeaderTimeout() throws Exception {
        try (TestServer t = TestServer.start((w, r) -> w.write("never"), FAST);
             Socket s = t.connect()) {
            long begin = System.nanoTime();
            send(s, "GET / HTTP/1.1\r\n");
            String answer = null;
            for (int i = 0; i < 40 && answer == null; i++) {
                try {
                    send(s, "X");
                    Thread.sleep(50); // the trickle is the input: a byte every 50 ms keeps coming past the deadline
                } catch (IOException closed) {
                    answer = readAll(s.getInputStream());
                }
            }
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            // the trickle lasts at least 40 x 50 ms, far past the 300 ms deadline however the machine schedules it:
            // the server closing while it still ran is the proof, not a bound on the elapsed time
            assertNotNull(answer, "still open after " + took + " ms of a byte every 50 ms");
            assertEquals(408, status(answer), answer);
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterIdleTimeout() throws Exception {
        try (TestServer t = TestServer.start((w, r) -> w.write("ok"), FAST); Socket s = t.connect()) {
            // taken before the request: the server's idle time starts after its response, which may reach this
            // thread late on a busy machine, so only a clock started before the request bounds it from below
            long begin = System.nanoTime();
            send(s, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals(200, status(readResponse(s.getInputStream())));
            assertEquals(-1, s.getInputStream().read(), "the server closes the idle connection");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            // at least the idle timeout; the socket's 5 s read timeout (an exception, not -1) catches one never closed
            assertTrue(took >= 300, "closed " + took + " ms after the request");
        }
    }

    @Test
    void aSlowBodyIsCutOffByReadTimeout() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        try (TestServer t = TestServer.start((w, r) -> {
            try {
                r.body().readAllBytes();
            } catch (IOException e) {
                failure.complete(e);
                throw e;
            }
        }, FAST); Socket s = t.connect()) {
            send(s, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nab");
            String answer = readAll(s.getInputStream());
            assertEquals(408, status(answer), answer);
            assertTrue(failure.get(2, TimeUnit.SECONDS) instanceof RequestBodyException);
        }
    }

    @Test
    void aClientThatStopsReadingIsCutOffByWriteTimeout() throws Exception {
        CompletableFuture<Context.Cause> cause = new CompletableFuture<>();
        byte[] chunk = new byte[64 * 1024];
        try (TestServer t = TestServer.start((w, r) -> {
            r.context().onCancel(() -> cause.complete(r.context().cause()));
            for (int i = 0; i < 2000; i++) {
                w.write(chunk);
            }
        }, FAST)) {
            Socket s = new Socket();
            s.setReceiveBufferSize(4096);
            s.connect(t.server.address());
            send(s, "GET /huge HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals(Context.Cause.WRITE_FAILED, cause.get(5, TimeUnit.SECONDS));
            s.close();
        }
    }

    @Test
    void aSilentNewConnectionIsClosedAfterReadHeaderTimeout() throws Exception {
        try (TestServer t = TestServer.start((w, r) -> w.write("ok"), FAST); Socket s = t.connect()) {
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read());
        }
    }
}
