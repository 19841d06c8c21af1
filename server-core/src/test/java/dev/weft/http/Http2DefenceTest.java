package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.weft.http.h2.ErrorCode;
import dev.weft.http.h2.FieldBlock;
import dev.weft.http.h2.FrameFlags;
import dev.weft.http.h2.FrameType;
import dev.weft.http.h2.FrameWriter;
import dev.weft.http.h2.Setting;

/**
 * The HTTP/2 denial-of-service attacks on record, each over raw frames: the server answers with GOAWAY
 * ENHANCE_YOUR_CALM (or 431 for a header list too large), counts it in {@code http.server.h2.defences}, and keeps
 * serving other connections.
 */
class Http2DefenceTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** The cause the first cancelled handler saw, completed from the handler's thread. */
    private final CompletableFuture<Context.Cause> cancelled = new CompletableFuture<>();
    private Server server;

    private final Handler handler = (w, r) -> {
        switch (r.path()) {
            case "/wait" -> {
                // until the client resets the stream
                try {
                    if (r.context().await(10, TimeUnit.SECONDS)) {
                        cancelled.complete(r.context().cause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case "/big" -> {
                try {
                    w.write(new byte[100_000]);
                } finally {
                    cancelled.complete(r.context().cause());
                }
            }
            default -> w.write("ok");
        }
    };

    private RawClient connect(Map<String, ?> settings, Setting... clientSettings) throws IOException {
        server = Servers.start(handler, settings, registry);
        return RawClient.connect(server.address().getPort(), clientSettings);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private double defences(String attack) {
        var c = registry.find("http.server.h2.defences").tag("attack", attack).functionCounter();
        return c == null ? 0 : c.count();
    }

    private void assertStillServes() throws IOException {
        try (RawClient c = RawClient.connect(server.address().getPort())) {
            c.send(c.headers(1, true, RawClient.request("GET", "/")));
            assertEquals("ok", c.response(1).text());
        }
    }

    /** CVE-2023-44487: streams opened and reset at once, faster than any client needs. */
    @Test
    void rapidResetEndsTheConnection() throws Exception {
        try (RawClient c = connect(Map.of("maxConcurrentStreams", 10))) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int id = 1; id < 2 * 150; id += 2) {
                burst.write(c.headers(id, true, RawClient.request("GET", "/wait")));
                burst.write(RawClient.rstStream(id, ErrorCode.CANCEL));
            }
            c.send(burst.toByteArray());
            RawClient.In g = c.expectGoAway(ErrorCode.ENHANCE_YOUR_CALM);
            assertTrue(g.debugData().contains("reset by the client"), g.debugData());
        }
        assertEquals(1, defences("rapid_reset"));
        assertEquals(Context.Cause.CLIENT_GONE, cancelled.get(10, TimeUnit.SECONDS),
                "a reset stream's handler learns it");
        assertStillServes();
    }

    /** CVE-2024-27316 family: a field block that never ends, in empty CONTINUATION frames. */
    @Test
    void continuationFloodEndsTheConnection() throws IOException {
        try (RawClient c = connect(Map.of())) {
            FieldBlock b = c.block(RawClient.request("GET", "/"));
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            flood.write(RawClient.raw(FrameType.HEADERS, FrameFlags.END_STREAM, 1, java.util.Arrays.copyOf(b.array(),
                    2)));
            for (int i = 0; i < 1000; i++) {
                flood.write(RawClient.raw(FrameType.CONTINUATION, 0, 1, new byte[0]));
            }
            c.send(flood.toByteArray());
            c.expectGoAway(ErrorCode.ENHANCE_YOUR_CALM);
        }
        assertEquals(1, defences("continuation_flood"));
        assertStillServes();
    }

    /** The same with large CONTINUATION frames: the block is bounded in octets too. */
    @Test
    void endlessFieldBlockEndsTheConnection() throws IOException {
        try (RawClient c = connect(Map.of("maxHeaderBytes", 4096))) {
            c.send(RawClient.raw(FrameType.HEADERS, 0, 1, new byte[4000]));
            for (int i = 0; i < 3; i++) {
                c.send(RawClient.raw(FrameType.CONTINUATION, 0, 1, new byte[4000]));
            }
            c.expectGoAway(ErrorCode.ENHANCE_YOUR_CALM);
        }
        assertEquals(1, defences("continuation_flood"));
    }

    /**
     * HPACK bomb: one 4 KiB entry in the dynamic table, then a block that refers to it a thousand times (a few
     * octets each). Decoding stops delivering at the header list limit: 431, and repeated, GOAWAY.
     */
    @Test
    void hpackBombIsAnswered431AndThenEndsTheConnection() throws IOException {
        try (RawClient c = connect(Map.of("maxHeaderBytes", 8192))) {
            FieldBlock first = c.block(RawClient.request("GET", "/", "x-bomb", "b".repeat(4000)));
            c.send(RawClient.frame(9 + first.length(), (b, at) -> FrameWriter.headers(b, at, 1, true, first.array(),
                    first.length(), 16384)));
            assertEquals("ok", c.response(1).text(), "one copy is within the limit");
            int id = 3;
            for (int round = 0; round <= Http2Connection.MAX_OVERSIZED_HEADER_LISTS; round++) {
                FieldBlock bomb = c.block(RawClient.request("GET", "/"));
                for (int i = 0; i < 1000; i++) {
                    bomb.writeInteger(0x80, 7, 62); // the x-bomb entry, the newest, after the 61 static ones
                }
                int streamId = id;
                c.send(RawClient.frame(9 + bomb.length(), (b, at) -> FrameWriter.headers(b, at, streamId, true,
                        bomb.array(), bomb.length(), 16384)));
                if (round < Http2Connection.MAX_OVERSIZED_HEADER_LISTS) {
                    assertEquals(431, c.response(id).status(), "4 MB of fields from " + bomb.length() + " octets");
                }
                id += 2;
            }
            c.expectGoAway(ErrorCode.ENHANCE_YOUR_CALM);
        }
        assertEquals(Http2Connection.MAX_OVERSIZED_HEADER_LISTS + 1, defences("header_list_size"));
        assertStillServes();
    }

    @Test
    void settingsFloodEndsTheConnection() throws IOException {
        try (RawClient c = connect(Map.of())) {
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            for (int i = 0; i < 2 * Http2Connection.MAX_CONTROL_PER_SECOND; i++) {
                flood.write(c.settings(new Setting(Setting.HEADER_TABLE_SIZE, 4096)));
            }
            c.send(flood.toByteArray());
            c.expectGoAway(ErrorCode.ENHANCE_YOUR_CALM);
        }
        assertEquals(1, defences("settings_flood"));
        assertStillServes();
    }

    @Test
    void pingFloodEndsTheConnection() throws IOException {
        try (RawClient c = connect(Map.of())) {
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            for (int i = 0; i < 2 * Http2Connection.MAX_CONTROL_PER_SECOND; i++) {
                flood.write(RawClient.ping(i));
            }
            c.send(flood.toByteArray());
            c.expectGoAway(ErrorCode.ENHANCE_YOUR_CALM);
        }
        assertEquals(1, defences("ping_flood"));
        assertStillServes();
    }

    /** CVE-2019-9518: empty DATA frames cost the server work and the client nothing. */
    @Test
    void emptyDataFloodEndsTheConnection() throws IOException {
        try (RawClient c = connect(Map.of())) {
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            flood.write(c.headers(1, false, RawClient.request("POST", "/wait")));
            for (int i = 0; i < 2 * Http2Connection.MAX_CONTROL_PER_SECOND; i++) {
                flood.write(RawClient.data(1, new byte[0], false));
            }
            c.send(flood.toByteArray());
            c.expectGoAway(ErrorCode.ENHANCE_YOUR_CALM);
        }
        assertEquals(1, defences("empty_frames"));
    }

    /**
     * A client that opens no window (SETTINGS_INITIAL_WINDOW_SIZE 0) holds the handler's write: at writeTimeout
     * the connection ends and the handler's context is cancelled.
     */
    @Test
    void zeroWindowStallEndsTheConnectionAtTheWriteTimeout() throws IOException {
        try (RawClient c = connect(Map.of("writeTimeout", Duration.ofMillis(300)),
                new Setting(Setting.INITIAL_WINDOW_SIZE, 0))) {
            c.send(c.headers(1, true, RawClient.request("GET", "/big")));
            RawClient.In g = c.expectGoAway(ErrorCode.ENHANCE_YOUR_CALM);
            assertTrue(g.debugData().contains("stayed empty"), g.debugData());
        }
        assertEquals(1, defences("zero_window"));
        assertStillServes();
    }

    /** Stream identifiers used up: the last one is served, then GOAWAY sends the client to a new connection. */
    @Test
    void lastStreamIdentifierIsServedThenTheConnectionGoesAway() throws IOException {
        try (RawClient c = connect(Map.of())) {
            c.send(c.headers(Integer.MAX_VALUE, true, RawClient.request("GET", "/")));
            RawClient.In g = c.expect(FrameType.GOAWAY);
            assertEquals(ErrorCode.NO_ERROR, g.errorCode());
            assertEquals(Integer.MAX_VALUE, g.int32(0));
            assertEquals("ok", c.response(Integer.MAX_VALUE).text());
            c.expectClosed();
        }
        assertEquals(1, defences("stream_id"));
    }
}
