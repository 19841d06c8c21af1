package dev.weft.dbpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import dev.weft.testkit.Eventually;

/** The facade on the embedded default: DataSource, readiness, advisor, all with nothing installed. */
class EmbeddedPoolTest {

    @Test
    void servesQueriesReportsReadyAndAdvises() throws Exception {
        // the waits and the window are measured by a clock that stands still unless the test moves it, so the
        // verdict follows from the figures below and not from how long a busy machine kept the threads waiting
        AtomicLong clock = new AtomicLong();
        try (DbPool pool = DbPool.open(Configs.h2(Map.of("maximumPoolSize", 8)), clock::get)) {
            assertEquals(8, pool.hikariDataSource().getMaximumPoolSize());
            assertEquals(8, pool.hikariDataSource().getMinimumIdle(), "fixed-size");
            assertEquals(PoolAdvice.Verdict.NO_TRAFFIC, pool.advise().verdict());
            for (int i = 0; i < 50; i++) {
                try (Connection c = pool.dataSource().getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT 40 + 2")) {
                    rs.next();
                    assertEquals(42, rs.getInt(1));
                }
            }
            pool.readinessCheck().check();
            clock.addAndGet(TimeUnit.SECONDS.toNanos(10));
            PoolAdvice advice = pool.advise();
            assertEquals(50, advice.requests(), "the 50 queries; the readiness check borrows from HikariCP directly: " + advice);
            assertEquals(Duration.ofSeconds(10), advice.window(), advice::toString);
            assertEquals(Duration.ZERO, advice.meanAcquire(), advice::toString);
            // 5 queries a second, each holding a connection for what HikariCP measured (well under the 530 ms that
            // would keep a third of the 8 busy), and nobody waited
            assertEquals(PoolAdvice.Verdict.TOO_LARGE, advice.verdict(), advice::toString);
            assertEquals(Duration.ofSeconds(1), pool.suggestedRetryAfter());
            assertEquals(pool.hikariDataSource(), pool.dataSource().unwrap(HikariDataSource.class));
        }
    }

    @Test
    void callersAreServedInTheOrderTheyAsked() throws Exception {
        try (DbPool pool = DbPool.open(Configs.h2(Map.of("maximumPoolSize", 1)))) {
            FailFastDataSource queue = pool.dataSource().unwrap(FailFastDataSource.class);
            List<String> order = new CopyOnWriteArrayList<>();
            Connection held = pool.dataSource().getConnection();
            List<Thread> waiters = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                String id = "waiter-" + i;
                waiters.add(Thread.ofVirtual().start(() -> {
                    try (Connection c = pool.dataSource().getConnection()) {
                        order.add(id);
                    } catch (SQLException e) {
                        order.add(id + " failed: " + e);
                    }
                }));
                int queued = i;
                Eventually.await(Duration.ofSeconds(10), id + " queued", () -> queue.waiting() >= queued);
            }
            // The holder gives its connection back and asks again at once, as a request loop does. HikariCP alone
            // would usually hand it straight back to this thread, ahead of the five that waited.
            held.close();
            try (Connection again = pool.dataSource().getConnection()) {
                order.add("holder again");
            }
            for (Thread t : waiters) {
                t.join();
            }
            assertEquals(List.of("waiter-1", "waiter-2", "waiter-3", "waiter-4", "waiter-5", "holder again"), order);
        }
    }

    @Test
    void aClosedPoolIsNotReady() {
        DbPool pool = DbPool.open(Configs.h2(Map.of("maximumPoolSize", 1)));
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.readinessCheck().check());
    }
}
