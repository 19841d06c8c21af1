package dev.weft.events.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.config.Problems;
import dev.weft.events.Envelope;
import dev.weft.events.EnvelopeCodec;
import dev.weft.events.EventPublisher;
import dev.weft.events.metrics.EventMetrics;

/**
 * Publishes committed outbox rows and marks them sent only after the transport confirmed them.
 *
 * <p>One round: (1) select up to {@code batchSize} pending rows whose lease is free with {@code FOR UPDATE SKIP
 * LOCKED} and stamp a lease on them in the same transaction (on PostgreSQL one {@code UPDATE ... RETURNING}
 * statement), so that several relays (one per application instance) share the work without waiting on each other
 * and without holding a database connection while the broker answers;
 * (2) publish them all, streaming; (3) wait for the confirms up to {@code publishTimeout}; (4) in one transaction,
 * set {@code sent_at} on the confirmed rows and give the others a {@code retryBackoff} before their next try.
 *
 * <p>Nothing is lost: a row is only ever marked sent after its confirm. A relay that dies mid-round leaves leased
 * rows, which another relay takes when the lease expires. The price is that an event may be published twice (the
 * confirm was lost, or the lease expired under a slow broker), which is why consumers deduplicate on event id.
 * While the broker is unreachable the publishes fail at once, rows wait with their backoff, and
 * {@code weft.events.outbox.oldest.age} grows; they go out when the broker returns.
 *
 * <p>Order: rows are published in id order within a round; across relays and retries there is no global order.
 *
 * <p>Leases, backoffs and the retention are judged by an injected {@link InstantSource} (the system clock in
 * service), so that a test steps past a backoff instead of sleeping through it. The wait for confirms and the pace
 * of the polls stay on {@link System#nanoTime()}: they are real waits, which a test ends by waking the relay or by
 * the transport's answer, not by stepping a clock.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final long STATS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long PURGE_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final DataSource dataSource;
    private final EventPublisher publisher;
    private final OutboxConfig config;
    private final EventMetrics metrics;
    private final InstantSource clock;
    private final String claimSql;
    private final String leaseSql;
    private final String claimReturningSql;
    private final String sentSql;
    private final String retrySql;
    private final String statsSql;
    private final String purgeSql;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** A permit means an event was written through {@link #outbox()} since the relay last looked. */
    private final Semaphore written = new Semaphore(0);
    /** {@link System#nanoTime()} of the last write through {@link #outbox()}. */
    private volatile long lastWritten;
    private volatile Thread thread;
    /** Null until the first claim has looked at the database: PostgreSQL claims in one statement. */
    private volatile Boolean postgres;
    private long lastStats;
    private long lastPurge;

    public OutboxRelay(DataSource dataSource, EventPublisher publisher, OutboxConfig config, EventMetrics metrics) {
        this(dataSource, publisher, config, metrics, InstantSource.system());
    }

    /** With {@code clock} as the time of leases, backoffs and the retention. */
    public OutboxRelay(DataSource dataSource, EventPublisher publisher, OutboxConfig config, EventMetrics metrics,
                       InstantSource clock) {
        this.clock = clock;
        this.dataSource = dataSource;
        this.publisher = publisher;
        this.config = Problems.requireValid("events.outbox", config, OutboxConfig::validate);
        this.metrics = metrics;
        this.lastWritten = System.nanoTime() - config.idlePollInterval().toNanos();
        String t = config.tables().outbox();
        this.claimSql = "SELECT id, envelope FROM " + t
                + " WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?)"
                + " ORDER BY sent_at, id LIMIT ? FOR UPDATE SKIP LOCKED";
        this.leaseSql = "UPDATE " + t + " SET claimed_until = ?, attempts = attempts + 1 WHERE id = ANY(?)";
        this.claimReturningSql = "UPDATE " + t + " SET claimed_until = ?, attempts = attempts + 1 WHERE id IN ("
                + claimSql.replace("SELECT id, envelope", "SELECT id") + ") RETURNING id, envelope";
        this.sentSql = "UPDATE " + t + " SET sent_at = ?, claimed_until = NULL, last_error = NULL WHERE id = ANY(?)";
        this.retrySql = "UPDATE " + t + " SET claimed_until = ?, last_error = ? WHERE id = ?";
        this.statsSql = "SELECT COUNT(*), MIN(created_at) FROM " + t + " WHERE sent_at IS NULL";
        this.purgeSql = "DELETE FROM " + t + " WHERE sent_at < ?";
    }

    /**
     * Starts relaying on a background platform thread until {@link #close()}. Not a virtual one: a round against an
     * in-process database (H2, the shop's default) is CPU work that never blocks, and on a virtual thread it held
     * one of the carriers that serve the connections for its whole length, at every poll; the shop's p99 at
     * equal load was lower with the relay off (server-core README, Numbers, 2026-12-06 (late evening)). One thread
     * for the life of the service costs nothing a virtual one would save.
     */
    public synchronized OutboxRelay start() {
        if (thread != null) {
            throw new IllegalStateException("relay already started");
        }
        thread = Thread.ofPlatform().daemon().name("weft-outbox-relay-" + config.tables().outbox()).start(this::run);
        return this;
    }

    /** Stops the background loop after its current round (which waits at most {@code publishTimeout}). */
    @Override
    public void close() {
        stopped.countDown();
        written.release(); // ends an idle pause at once
        Thread t = thread;
        if (t != null) {
            try {
                t.join(config.publishTimeout().plusSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * An {@link Outbox} that writes to this relay's table and wakes it: after each {@code add} the relay's next round
     * comes within {@code pollInterval}, and it keeps polling at that pace for {@code idlePollInterval}. The write
     * comes before the writer commits, so the round right after it may find nothing yet: the rounds that follow
     * find the row if its transaction commits within {@code idlePollInterval}, and the idle poll after that if not.
     */
    public Outbox outbox() {
        return new Outbox(config.tables(), this::wake);
    }

    private void wake() {
        lastWritten = System.nanoTime();
        if (written.availablePermits() == 0) {
            written.release();
        }
    }

    /**
     * Under load (full batches), two rounds overlap: the next batch is claimed and published while the previous
     * one's confirms are on their way, so the broker's confirm latency is not paid twice per batch.
     *
     * <p>The relay pauses {@code pollInterval} after a round that found rows and while events are being written
     * through {@link #outbox()} (until {@code idlePollInterval} after the last write), and {@code idlePollInterval}
     * otherwise, unless such a write wakes it. An idle relay polling ten times a second was the busiest thread of an
     * idle shop: a round against the in-process H2 database is about a millisecond of CPU (parsing, planning, a
     * transaction), 1.2 % of a core in all, and the shop's p99 at equal load was lower with events off; polling once
     * a second it is 0.2 % (server-core README, Numbers, 2026-12-06 (22:00 UTC)).
     */
    private void run() {
        Round inFlight = null;
        while (stopped.getCount() > 0) {
            Round next = null;
            try {
                next = claimAndPublish();
                if (inFlight != null) {
                    finish(inFlight);
                    inFlight = null;
                }
                if (next != null && next.rows.size() == config.batchSize()) {
                    inFlight = next;
                } else if (next != null) {
                    finish(next);
                }
                housekeeping();
            } catch (SQLException | RuntimeException e) {
                log.warn("outbox relay round failed, retrying in {}: {}", config.retryBackoff(), e.toString());
                inFlight = null; // its rows keep their lease and are taken again when it expires
                pause(config.retryBackoff().toMillis());
                continue;
            }
            if (inFlight == null) {
                boolean writing = System.nanoTime() - lastWritten < config.idlePollInterval().toNanos();
                if (next != null || writing || idleUntilWritten(config.idlePollInterval().toNanos())) {
                    pause(config.pollInterval().toMillis());
                }
            }
        }
        if (inFlight != null) {
            try {
                finish(inFlight);
            } catch (SQLException | RuntimeException e) {
                log.warn("outbox relay: last round not marked; its rows are relayed again: {}", e.toString());
            }
        }
    }

    private void housekeeping() throws SQLException {
        long now = System.nanoTime();
        if (now - lastStats > STATS_EVERY_NANOS) {
            refreshStats();
            lastStats = now;
        }
        if (now - lastPurge > PURGE_EVERY_NANOS) {
            purgeSent();
            lastPurge = now;
        }
    }

    /**
     * Waits up to {@code nanos} for a write through {@link #outbox()} or for {@link #close()}; true when one came
     * first. A permit left from an earlier write ends the wait at once: one round more than needed, never one less.
     */
    private boolean idleUntilWritten(long nanos) {
        try {
            return written.tryAcquire(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.countDown();
            return false;
        }
    }

    private void pause(long millis) {
        try {
            stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.countDown();
        }
    }

    /**
     * Runs one round (claim, publish, wait for confirms, mark) and returns how many rows it claimed; the confirmed
     * ones are marked sent, the others wait {@code retryBackoff}.
     */
    public int relayOnce() throws SQLException {
        Round round = claimAndPublish();
        if (round == null) {
            return 0;
        }
        finish(round);
        return round.rows.size();
    }

    /** Claims a batch and publishes it; null when nothing is pending. */
    private Round claimAndPublish() throws SQLException {
        List<Row> rows = claim();
        if (rows.isEmpty()) {
            return null;
        }
        List<CompletableFuture<Void>> confirms = new ArrayList<>(rows.size());
        for (Row row : rows) {
            confirms.add(publish(row));
        }
        return new Round(rows, confirms, System.nanoTime() + config.publishTimeout().toNanos());
    }

    /** Waits for the round's confirms until its deadline, then marks each row sent or gives it a backoff. */
    private void finish(Round round) throws SQLException {
        try {
            CompletableFuture.allOf(round.confirms.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, round.deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // Some failed or are late: each row is judged on its own below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        mark(round.rows, round.confirms);
    }

    private CompletableFuture<Void> publish(Row row) {
        try {
            Envelope event = EnvelopeCodec.decode(row.envelope.getBytes(StandardCharsets.UTF_8));
            return publisher.publish(event);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private List<Row> claim() throws SQLException {
        Instant now = clock.instant();
        OffsetDateTime until = utc(now.plus(config.lease()));
        try (Connection c = dataSource.getConnection()) {
            if (isPostgres(c)) {
                try (PreparedStatement ps = c.prepareStatement(claimReturningSql)) {
                    ps.setObject(1, until);
                    ps.setObject(2, utc(now));
                    ps.setInt(3, config.batchSize());
                    List<Row> rows = read(ps);
                    rows.sort(Comparator.comparingLong(Row::id));
                    return rows;
                }
            }
            c.setAutoCommit(false);
            try {
                List<Row> rows;
                try (PreparedStatement ps = c.prepareStatement(claimSql)) {
                    ps.setObject(1, utc(now));
                    ps.setInt(2, config.batchSize());
                    rows = read(ps);
                }
                if (!rows.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(leaseSql)) {
                        ps.setObject(1, until);
                        ps.setArray(2, ids(c, rows));
                        ps.executeUpdate();
                    }
                }
                c.commit();
                return rows;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private boolean isPostgres(Connection c) throws SQLException {
        Boolean p = postgres;
        if (p == null) {
            p = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgresql");
            postgres = p;
        }
        return p;
    }

    private static List<Row> read(PreparedStatement ps) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getLong(1), rs.getString(2)));
            }
        }
        return rows;
    }

    private static Array ids(Connection c, List<Row> rows) throws SQLException {
        Long[] ids = new Long[rows.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rows.get(i).id;
        }
        return c.createArrayOf("BIGINT", ids);
    }

    private void mark(List<Row> rows, List<CompletableFuture<Void>> confirms) throws SQLException {
        Instant now = clock.instant();
        int failed = 0;
        String firstError = null;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement sent = c.prepareStatement(sentSql);
                 PreparedStatement retry = c.prepareStatement(retrySql)) {
                List<Row> confirmed = new ArrayList<>(rows.size());
                for (int i = 0; i < rows.size(); i++) {
                    CompletableFuture<Void> f = confirms.get(i);
                    if (f.isDone() && !f.isCompletedExceptionally()) {
                        confirmed.add(rows.get(i));
                    } else {
                        String error = error(f);
                        if (firstError == null) {
                            firstError = error;
                        }
                        failed++;
                        retry.setObject(1, utc(now.plus(config.retryBackoff())));
                        retry.setString(2, error.length() > 1000 ? error.substring(0, 1000) : error);
                        retry.setLong(3, rows.get(i).id);
                        retry.addBatch();
                    }
                }
                if (!confirmed.isEmpty()) {
                    sent.setObject(1, utc(now));
                    sent.setArray(2, ids(c, confirmed));
                    sent.executeUpdate();
                }
                if (failed > 0) {
                    retry.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        if (failed > 0) {
            log.warn("outbox relay: {} of {} events not confirmed, retrying in {}: {}", failed, rows.size(),
                    config.retryBackoff(), firstError);
        }
    }

    private static String error(CompletableFuture<Void> f) {
        if (!f.isDone()) {
            return "no confirm within publishTimeout";
        }
        try {
            f.join();
            return "unknown";
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return cause.toString();
        }
    }

    /** Reads the pending count and the oldest pending row's age into the metrics. */
    public void refreshStats() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(statsSql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            long pending = rs.getLong(1);
            OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
            metrics.outbox(pending, oldest == null ? 0 : oldest.toInstant().toEpochMilli());
        }
    }

    /** Deletes rows sent longer than {@code sentRetention} ago; returns how many. */
    public int purgeSent() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(purgeSql)) {
            ps.setObject(1, utc(clock.instant().minus(config.sentRetention())));
            return ps.executeUpdate();
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private record Row(long id, String envelope) {}

    private record Round(List<Row> rows, List<CompletableFuture<Void>> confirms, long deadlineNanos) {}
}
