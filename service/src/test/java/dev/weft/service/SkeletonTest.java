package dev.weft.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.weft.cache.Cache;
import dev.weft.cache.Caches;
import dev.weft.cache.codec.KeyCodec;
import dev.weft.config.ConfigException;
import dev.weft.config.ConfigTree;
import dev.weft.dbpool.DbPool;
import dev.weft.events.Envelope;
import dev.weft.events.service.Events;
import dev.weft.http.Responses;
import dev.weft.http.ServeMux;

/** The skeleton with each module on and off, on the embedded services (the real ones: {@link RealServicesTest}). */
class SkeletonTest {
    static final String H2 = "jdbc:h2:mem:%s;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
            + "DB_CLOSE_DELAY=-1";

    /** The settings under test with an ephemeral port on loopback. */
    static ConfigTree config(Map<String, ?> settings) {
        return ConfigTree.of(Map.of("server", Map.of("host", "127.0.0.1", "port", 0))).over(ConfigTree.of(settings));
    }

    static Map<String, Object> h2() {
        return Map.of("url", H2.formatted("skeleton-" + UUID.randomUUID()), "username", "sa",
                "maximumPoolSize", 2, "migrations", List.of("classpath:db/skeleton"));
    }

    /** A service that records what it was handed and serves /hello. */
    static final class Recorder implements Service {
        final List<String> calls = new ArrayList<>();
        Modules modules;

        @Override
        public void routesWhileStarting(ServeMux mux) {
            mux.handle("GET /early", (w, r) -> Responses.text(w, 200, "early\n"));
        }

        @Override
        public void start(Modules modules, ServeMux mux) {
            this.modules = modules;
            calls.add("start");
            mux.handle("GET /hello", (w, r) -> Responses.text(w, 200, "hello\n"));
        }

        @Override
        public void stop() {
            calls.add("stop");
        }
    }

    @Test
    void withNoModuleItServesItsRoutesHealthAndMetrics() throws Exception {
        Recorder service = new Recorder();
        RunningService running = Weft.start("plain", config(Map.of()), c -> service);
        try {
            running.started().get(30, TimeUnit.SECONDS);
            Http http = Http.to(running);
            assertEquals("hello\n", http.get("/hello").body());
            assertEquals("early\n", http.get("/early").body());
            assertEquals(200, http.get("/health/live").statusCode());
            HttpResponse<String> ready = http.get("/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("{\"status\":\"UP\",\"checks\":{\"plain\":{\"status\":\"UP\",\"durationMs\":0}}}",
                    ready.body().replaceAll("\"durationMs\":\\d+", "\"durationMs\":0"));
            String metrics = http.get("/metrics").body();
            assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM meters");
            assertTrue(metrics.contains("http_server_requests"), "the server's own meters");
            assertEquals(404, http.get("/nothing").statusCode());
            for (Class<?> module : List.of(DbPool.class, Caches.class, Events.class)) {
                assertFalse(service.modules.has(module), module.getSimpleName());
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> service.modules.db());
            assertEquals("plain uses DbPool but its configuration has no db section: add one (see the module"
                    + " README)", e.getMessage());
        } finally {
            running.shutdown(Duration.ofSeconds(5));
        }
        assertEquals(List.of("start", "stop"), service.calls);
    }

    @Test
    void eachSectionTurnsItsModuleOnAndTheServiceGetsThemOpen() throws Exception {
        Recorder service = new Recorder();
        RunningService running = Weft.start("full", config(Map.of(
                "db", h2(),
                "cache", Map.of("mode", "local", "caches", Map.of("items", Map.of("ttl", "1m"))),
                "events", Map.of("mode", "inprocess"))), c -> service);
        try {
            running.started().get(60, TimeUnit.SECONDS);
            Modules m = service.modules;
            try (Connection c = m.db().dataSource().getConnection()) {
                c.createStatement().execute("INSERT INTO item VALUES (1, 'one')");
                ResultSet outbox = c.createStatement().executeQuery("SELECT count(*) FROM weft_outbox");
                assertTrue(outbox.next(), "the events module created its tables");
            }
            Cache<Long, String> items = m.caches().cache("items", KeyCodec.longs(), String.class);
            assertEquals("one", items.get(1L, id -> "one"));
            CountDownLatch delivered = new CountDownLatch(1);
            m.events().subscribe("g", List.of("item.*"), event -> delivered.countDown());
            try (Connection c = m.db().dataSource().getConnection()) {
                c.setAutoCommit(false);
                m.events().outbox().add(c, Envelope.of("item.added", 1,
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), "item-1"));
                c.commit();
            }
            assertTrue(delivered.await(30, TimeUnit.SECONDS), "the relay published, the subscriber got it");
            HttpResponse<String> ready = Http.to(running).get("/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"database\""), ready.body());
        } finally {
            running.shutdown(Duration.ofSeconds(5));
        }
        assertEquals(List.of("start", "stop"), service.calls);
    }

    @Test
    void untilTheServiceHasStartedOnlyItsEarlyRoutesAnswerAndReadinessFails() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Recorder inner = new Recorder();
        Service gated = new Service() {
            @Override
            public void routesWhileStarting(ServeMux mux) {
                inner.routesWhileStarting(mux);
            }

            @Override
            public void start(Modules modules, ServeMux mux) throws Exception {
                gate.await();
                inner.start(modules, mux);
            }
        };
        RunningService running = Weft.start("slow", config(Map.of()), c -> gated);
        try {
            Http http = Http.to(running);
            HttpResponse<String> early = http.get("/hello");
            assertEquals(503, early.statusCode());
            assertEquals("1", early.headers().firstValue("Retry-After").orElse(null));
            assertEquals("{\"error\":\"slow is starting: retry shortly\"}", early.body());
            assertEquals(200, http.get("/early").statusCode());
            assertEquals(200, http.get("/health/live").statusCode());
            assertEquals(503, http.get("/health/ready").statusCode());
            gate.countDown();
            running.started().get(30, TimeUnit.SECONDS);
            assertEquals(200, http.get("/hello").statusCode());
            assertEquals(200, http.get("/health/ready").statusCode());
        } finally {
            running.shutdown(Duration.ofSeconds(5));
        }
    }

    /**
     * Opening modules is CPU work that rarely blocks. On a virtual thread it would hold one of the few carriers that
     * serve the connections until it blocked (virtual threads are not preempted): in the shop on two cores, the
     * first request waited a second for its carrier. So the start runs on a platform thread, and a start that spins
     * without ever blocking leaves the early routes answering.
     */
    @Test
    void theStartRunsOnAPlatformThreadAndASpinningStartLeavesTheEarlyRoutesAnswering() throws Exception {
        AtomicBoolean answered = new AtomicBoolean();
        CompletableFuture<Boolean> virtual = new CompletableFuture<>();
        Recorder inner = new Recorder();
        Service spinning = new Service() {
            @Override
            public void routesWhileStarting(ServeMux mux) {
                inner.routesWhileStarting(mux);
            }

            @Override
            public void start(Modules modules, ServeMux mux) {
                virtual.complete(Thread.currentThread().isVirtual());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!answered.get() && System.nanoTime() < deadline) {
                    Thread.onSpinWait(); // CPU-bound, never parks: what class loading and migrations look like
                }
                inner.start(modules, mux);
            }
        };
        RunningService running = Weft.start("spinning", config(Map.of()), c -> spinning);
        try {
            assertFalse(virtual.get(30, TimeUnit.SECONDS), "the start ran on a virtual thread");
            assertEquals(200, Http.to(running).get("/early").statusCode());
            answered.set(true);
            running.started().get(30, TimeUnit.SECONDS);
        } finally {
            answered.set(true);
            running.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void aShutdownWhileStartingInterruptsTheStartAndClosesWhatOpened() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        RunningService running = Weft.start("stuck", config(Map.of("db", h2())), c -> (modules, mux) -> never.await());
        Http http = Http.to(running);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!http.get("/health/ready").body().contains("\"database\"")) { // the pool is open once it is checked
            assertTrue(System.nanoTime() < deadline, "the pool opened within 30 s");
        }
        running.shutdown(Duration.ofSeconds(5));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> running.started().get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof InterruptedException, e.toString());
        assertTrue(running.isShuttingDown());
        assertThrows(Exception.class, () -> running.modules().db().dataSource().getConnection(),
                "the pool was closed");
    }

    @Test
    void aServiceThatCannotStartCompletesStartedExceptionallyAndTheModulesClose() throws Exception {
        RunningService running = Weft.start("broken", config(Map.of("db", h2())), c -> (modules, mux) -> {
            throw new IllegalStateException("no");
        });
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> running.started().get(60, TimeUnit.SECONDS));
        assertEquals("no", e.getCause().getMessage());
        running.shutdown(Duration.ofSeconds(5));
        assertThrows(Exception.class, () -> running.modules().db().dataSource().getConnection(),
                "the pool was closed");
    }

    @Test
    void configurationProblemsAreAllReportedBeforeAnythingBinds() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            ConfigTree bad = ConfigTree.parse("bad.yaml", String.join("\n",
                    "server:",
                    "  port: " + taken.getLocalPort(),
                    "  idleTimeout: 10",
                    "db:",
                    "  maximumPoolSize: many",
                    "cache:",
                    "  mode: redis",
                    "  caches:",
                    "    items: {ttll: 1m}",
                    "events:",
                    "  mode: inprocess",
                    "  outbox: {batchSize: 0}",
                    "other: 1",
                    ""));
            ConfigException e = assertThrows(ConfigException.class, () -> Weft.start("bad", bad, c -> new Recorder()));
            assertEquals(List.of(
                    "server.idleTimeout: must be a duration with a unit: use a number and a unit (ns, us, ms, s, m,"
                            + " h), like 500ms, 10s, 2m or 1h30m, was 10 (bad.yaml:3:3)",
                    "db.maximumPoolSize: must be an integer, was \"many\" (bad.yaml:5:3)",
                    "db.url: must be set",
                    "events.outbox.batchSize: must be between 1 and 10000, was 0 (bad.yaml:12:12)",
                    "cache.caches.items.ttll: unknown setting (bad.yaml:9:13); known settings: version,"
                            + " localMaxEntries, localTtl, ttl, ttlJitter, nullTtl, staleGrace, crossNodeLock,"
                            + " lockLease, lockWait, earlyRefreshBeta",
                    "other: unknown setting (bad.yaml:13:1); known sections: server, db, cache, events"),
                    e.problems().subList(0, e.problems().size()));
        }
    }

    @Test
    void eventsNeedTheDatabase() {
        ConfigException e = assertThrows(ConfigException.class, () -> Weft.start("x",
                config(Map.of("events", Map.of("mode", "inprocess"))), c -> new Recorder()));
        assertEquals(List.of("events: needs a db section: the outbox keeps events in the database until the relay"
                + " has published them"), e.problems());
    }

    @Test
    void eventsOffLeavesTheModuleClosed() throws Exception {
        Recorder service = new Recorder();
        RunningService running = Weft.start("off", config(Map.of("events", Map.of("mode", "off"))), c -> service);
        try {
            running.started().get(30, TimeUnit.SECONDS);
            assertFalse(service.modules.has(Events.class));
        } finally {
            running.shutdown(Duration.ofSeconds(5));
        }
    }
}
