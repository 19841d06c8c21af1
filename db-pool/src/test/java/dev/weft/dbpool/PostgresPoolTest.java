package dev.weft.dbpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.weft.testkit.Eventually;
import dev.weft.testkit.Services;

/** The pool against the real PostgreSQL: sizing, exhaustion, the bulkhead, leaks, killed backends, readiness. */
class PostgresPoolTest {

    @BeforeAll
    static void postgres() {
        Services.requirePostgres();
    }

    @Test
    void aSizedPoolOpensTheSizeTheRuleGives() throws Exception {
        String name = PostgresFixture.uniqueName("dbpool_sizing");
        try (DbPool pool = DbPool.open(PostgresFixture.config(name, Map.of("sizing", Map.of("peakRequestsPerSecond", 400,
                "meanHoldTime", Duration.ofMillis(25), "databaseCores", 1, "databaseSpindles", 1))))) {
            assertEquals("pool 3: 400 req/s x 25 ms = 10, +20% = 12, capped by 2x1+1 = 3", pool.sizing().reasoning());
            assertEquals(3, pool.hikariDataSource().getMaximumPoolSize());
            assertEquals(3, PostgresFixture.awaitBackends(name, 3).size(), "a fixed-size pool opens all of them");
        }
        assertEquals(List.of(), PostgresFixture.awaitBackends(name, 0), "closing the pool closes its backends");
    }

    /** What happened to one caller. */
    private record Outcome(long waitedMillis, PoolExhaustedException failure) {}

    /** {@code callers} virtual threads at once, each borrowing a connection for {@code holdSeconds} of SQL. */
    private static List<Outcome> storm(DbPool pool, int callers, double holdSeconds, AtomicInteger maxWaiting)
            throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        FailFastDataSource queue = pool.dataSource().unwrap(FailFastDataSource.class);
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                maxWaiting.accumulateAndGet(queue.waiting()
                        + pool.hikariDataSource().getHikariPoolMXBean().getThreadsAwaitingConnection(), Math::max);
                Thread.onSpinWait();
            }
        });
        List<Future<Outcome>> futures = new ArrayList<>();
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < callers; i++) {
            futures.add(executor.submit(() -> {
                long start = System.nanoTime();
                try (Connection c = pool.dataSource().getConnection()) {
                    long waited = (System.nanoTime() - start) / 1_000_000;
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT pg_sleep(" + holdSeconds + ")");
                    }
                    return new Outcome(waited, null);
                } catch (PoolExhaustedException e) {
                    return new Outcome((System.nanoTime() - start) / 1_000_000, e);
                }
            }));
        }
        executor.shutdown();
        assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS), "every caller finished: no deadlock, no hang");
        running.set(false);
        sampler.join();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> f : futures) {
            outcomes.add(f.get()); // any other exception fails the test here
        }
        return outcomes;
    }

    @Test
    void manyMoreCallersThanConnectionsWaitBoundedThenGetTheTypedException() throws Exception {
        String name = PostgresFixture.uniqueName("dbpool_exhaust");
        try (DbPool pool = DbPool.open(PostgresFixture.config(name, Map.of("maximumPoolSize", 2,
                "connectionTimeout", Duration.ofMillis(500), "validationTimeout", Duration.ofMillis(250))))) {
            pool.advise();
            AtomicInteger maxWaiting = new AtomicInteger();
            List<Outcome> outcomes = storm(pool, 200, 0.1, maxWaiting);

            List<Outcome> served = outcomes.stream().filter(o -> o.failure() == null).toList();
            List<Outcome> refused = outcomes.stream().filter(o -> o.failure() != null).toList();
            assertTrue(served.size() >= 4, "two connections served several callers each: " + served.size());
            assertTrue(refused.size() >= 100, "most of the 200 callers were refused: " + refused.size());
            for (Outcome o : refused) {
                assertEquals(PoolExhaustedException.Reason.TIMED_OUT, o.failure().reason());
                // at least the 500 ms connectionTimeout; the upper bound only tells "bounded" from "stuck": 200
                // callers on a busy 2-core machine wait seconds for the scheduler on top of the timeout
                assertTrue(o.waitedMillis() >= 450 && o.waitedMillis() < 15_000,
                        "waited about connectionTimeout: " + o.waitedMillis() + " ms");
                assertTrue(o.failure().retryAfterSeconds() >= 1);
            }
            for (Outcome o : served) {
                assertTrue(o.waitedMillis() < 15_000, "a served caller waited " + o.waitedMillis() + " ms");
            }
            assertTrue(maxWaiting.get() > 50, "without a bulkhead, callers pile up: " + maxWaiting.get());

            PoolAdvice advice = pool.advise();
            System.out.println("advice after the storm: " + advice);
            assertEquals(PoolAdvice.Verdict.TOO_SMALL, advice.verdict(), advice::toString);
            assertEquals(refused.size(), advice.timeouts(), advice::toString);
            assertTrue(advice.suggestedSize() > 2, advice::toString);

            try (Connection c = pool.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next(), "the pool serves again once the storm has passed");
            }
        }
    }

    @Test
    void theBulkheadTurnsAwayCallersBeyondMaxWaitingAtOnce() throws Exception {
        String name = PostgresFixture.uniqueName("dbpool_bulkhead");
        try (DbPool pool = DbPool.open(PostgresFixture.config(name, Map.of("maximumPoolSize", 1, "maxWaiting", 4,
                "connectionTimeout", Duration.ofSeconds(3))))) {
            AtomicInteger maxWaiting = new AtomicInteger();
            List<Outcome> outcomes = storm(pool, 60, 0.2, maxWaiting);

            List<Outcome> full = outcomes.stream().filter(o -> o.failure() != null
                    && o.failure().reason() == PoolExhaustedException.Reason.BULKHEAD_FULL).toList();
            long served = outcomes.stream().filter(o -> o.failure() == null).count();
            assertTrue(full.size() >= 40, "most callers found the bulkhead full: " + full.size());
            assertTrue(served >= 1, "the connection served someone");
            for (Outcome o : full) {
                assertEquals(Duration.ZERO, o.failure().waited());
                assertTrue(o.failure().getMessage().contains("maxWaiting 4"), o.failure().getMessage());
            }
            assertTrue(maxWaiting.get() <= 4, "never more than maxWaiting callers queued: " + maxWaiting.get());
        }
    }

    @Test
    void aLeakedConnectionIsReported() throws Exception {
        String name = PostgresFixture.uniqueName("dbpool_leak");
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (DbPool pool = DbPool.open(PostgresFixture.config(name, Map.of("maximumPoolSize", 1,
                "leakDetectionThreshold", Duration.ofSeconds(2))))) {
            Connection leaked = pool.dataSource().getConnection();
            String log = Eventually.until(Duration.ofSeconds(6), "a leak report 2 s after the borrow",
                    () -> captured.toString(StandardCharsets.UTF_8),
                    text -> text.contains("Connection leak detection triggered"));
            assertTrue(log.contains("on thread " + Thread.currentThread().getName()), log);
            assertTrue(log.contains("aLeakedConnectionIsReported"), "the report points at the borrowing code: " + log);
            leaked.close();
        } finally {
            System.setErr(original);
        }
        original.println("captured leak report:\n" + captured.toString(StandardCharsets.UTF_8).lines().limit(4)
                .reduce("", (a, b) -> a + b + "\n"));
    }

    @Test
    void killedBackendsAreReplacedAndTheNextRequestSucceeds() throws Exception {
        String name = PostgresFixture.uniqueName("dbpool_kill");
        try (DbPool pool = DbPool.open(PostgresFixture.config(name, Map.of("maximumPoolSize", 3)))) {
            List<Integer> before = PostgresFixture.awaitBackends(name, 3);
            assertEquals(3, before.size());
            assertEquals(3, PostgresFixture.terminate(name));
            // HikariCP skips the liveness check of a connection used in the last 500 ms; past that, every borrow
            // checks, finds the dead ones and replaces them. Real time must pass: the window runs on HikariCP's
            // own clock, which cannot be injected.
            Thread.sleep(600);
            int pid;
            try (Connection c = pool.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                assertTrue(rs.next());
                pid = rs.getInt(1);
            }
            assertFalse(before.contains(pid), "served by a new backend, not a killed one");
            List<Integer> after = PostgresFixture.awaitBackends(name, 3);
            assertEquals(3, after.size(), "the pool is back to its size");
            assertTrue(after.stream().noneMatch(before::contains), before + " -> " + after);
            pool.readinessCheck().check();
        }
    }

    @Test
    void readinessFailsWithinItsTimeoutWhenNoConnectionComesFree() throws Exception {
        String name = PostgresFixture.uniqueName("dbpool_ready");
        try (DbPool pool = DbPool.open(PostgresFixture.config(name, Map.of("maximumPoolSize", 1,
                "validationTimeout", Duration.ofMillis(500), "connectionTimeout", Duration.ofSeconds(60))))) {
            pool.readinessCheck().check();
            try (Connection held = pool.dataSource().getConnection()) {
                long start = System.nanoTime();
                TimeoutException e = assertThrows(TimeoutException.class, () -> pool.readinessCheck().check());
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                // connectionTimeout is 60 s, so an answer well before it came from the check's own 500 ms timeout,
                // however slowly a busy machine ran the check
                assertTrue(tookMillis < 30_000, "bounded by the check's timeout, not connectionTimeout: " + tookMillis);
                assertTrue(e.getMessage().contains("no valid connection within 500 ms"), e.getMessage());
                assertFalse(held.isClosed());
            }
        }
    }
}
