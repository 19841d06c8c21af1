package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.weft.http.h2.Http2Limits;

/**
 * How an HTTP/2 connection combines the responses of its streams into socket writes, counted at the socket: the
 * responses of handlers that are ready together leave in a few writes rather than one each, and a handler that is
 * still waiting holds back nobody's response.
 */
class Http2WriteBatchingTest {
    private static final int STREAMS = 16;
    private static final long SECOND = 1_000_000_000L;

    private final AtomicInteger writes = new AtomicInteger();
    private ServerSocket listener;
    private Thread serving;

    @AfterEach
    void stop() throws Exception {
        if (listener != null) {
            listener.close();
        }
        if (serving != null) {
            serving.join(10_000);
        }
    }

    /** Serves one connection on a virtual thread, as the server does, with {@code host} and a counted output. */
    private RawClient connect(Http2Host host) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        serving = Thread.ofVirtual().start(() -> {
            try (Socket s = listener.accept()) {
                OutputStream counted = new FilterOutputStream(s.getOutputStream()) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        writes.incrementAndGet();
                        out.write(b, off, len);
                    }
                };
                Http2Limits limits = new Http2Limits(100, 16 * 1024, 1 << 20, 10 * SECOND, 10 * SECOND,
                        10 * SECOND, 60 * SECOND);
                new Http2Connection(s, s.getInputStream(), counted, limits, host).serve(new byte[0], 0, 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return RawClient.connect(listener.getLocalPort());
    }

    /** Answers each stream with its path, after {@code before} has run on the stream's thread. */
    private static Http2Host answering(StreamStep before) {
        return new Http2Host() {
            @Override
            public void serve(Http2Stream stream) {
                try {
                    before.run(stream);
                    byte[] body = stream.path().getBytes(StandardCharsets.UTF_8);
                    Headers fields = new Headers().add("content-type", "text/plain");
                    stream.sendResponse(200, fields, body, 0, body.length, true);
                } catch (IOException e) {
                    stream.abort();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stream.abort();
                }
            }

            @Override
            public void defended(String attack, String detail) {
            }

            @Override
            public void transferred(long in, long out) {
            }
        };
    }

    interface StreamStep {
        void run(Http2Stream stream) throws InterruptedException;
    }

    @Test
    void responsesOfHandlersReadyTogetherLeaveInAFewWrites() throws IOException {
        // Every handler waits until all have started; the last one then makes the others runnable at once, so that
        // sixteen responses become ready together, as when a client's batch of requests arrives in one read.
        AtomicInteger entered = new AtomicInteger();
        ConcurrentLinkedQueue<Thread> waiting = new ConcurrentLinkedQueue<>();
        AtomicInteger released = new AtomicInteger();
        Http2Host host = answering(stream -> {
            if (entered.incrementAndGet() < STREAMS) {
                waiting.add(Thread.currentThread());
                while (released.get() == 0) {
                    LockSupport.park(this);
                }
            } else {
                released.set(1);
                for (Thread t : waiting) {
                    LockSupport.unpark(t);
                }
            }
        });
        try (RawClient c = connect(host)) {
            int before = writes.get();
            List<byte[]> requests = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                requests.add(c.headers(1 + 2 * i, true, RawClient.request("GET", "/" + i)));
            }
            c.send(requests.toArray(new byte[0][]));
            for (int i = 0; i < STREAMS; i++) {
                RawClient.Response r = c.response(1 + 2 * i);
                assertEquals(200, r.status());
                assertEquals("/" + i, r.text());
            }
            int used = writes.get() - before;
            assertTrue(used <= STREAMS / 4, STREAMS + " responses ready together took " + used + " writes");
        }
    }

    @Test
    void aHandlerStillWaitingHoldsBackNoOtherResponse() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Http2Host host = answering(stream -> {
            if (stream.path().equals("/waits")) {
                release.await(10, TimeUnit.SECONDS);
            }
        });
        try (RawClient c = connect(host)) {
            c.send(c.headers(1, true, RawClient.request("GET", "/waits")),
                    c.headers(3, true, RawClient.request("GET", "/answers")));
            // read while stream 1's handler still waits: the read would time out if its response were held back
            assertEquals("/answers", c.response(3).text());
            assertEquals(1, release.getCount(), "stream 1 still waiting");
            release.countDown();
            assertEquals("/waits", c.response(1).text());
        }
    }
}
