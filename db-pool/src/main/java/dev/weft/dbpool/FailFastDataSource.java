package dev.weft.dbpool;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The DataSource that application code gets: HikariCP's, with a fail-fast edge.
 *
 * <ul>
 *   <li>A caller that gets no connection within {@code connectionTimeout} gets a {@link PoolExhaustedException}
 *       carrying a suggested Retry-After, never an indefinite wait.</li>
 *   <li>With a bulkhead ({@code maxWaiting > 0}), at most that many callers may be inside {@link #getConnection()}
 *       at once; the next one is turned away at once instead of queueing. With virtual threads, thousands of
 *       requests can otherwise pile up behind a few connections, each holding its memory and its client for up to
 *       {@code connectionTimeout}, only to time out together. A {@link Semaphore}, not a thread pool: the waiting
 *       threads are the callers' own.</li>
 * </ul>
 * Connections are HikariCP's own proxies; closing one returns it to the pool.
 */
public final class FailFastDataSource implements DataSource {
    private final HikariDataSource pool;
    private final int maxWaiting;
    private final Semaphore bulkhead;
    private final Supplier<Duration> retryAfter;

    /**
     * @param pool       the HikariCP pool
     * @param maxWaiting callers allowed in {@link #getConnection()} at once; 0 for no bulkhead
     * @param retryAfter what to suggest to a caller turned away
     */
    public FailFastDataSource(HikariDataSource pool, int maxWaiting, Supplier<Duration> retryAfter) {
        this.pool = pool;
        this.maxWaiting = maxWaiting;
        this.bulkhead = maxWaiting > 0 ? new Semaphore(maxWaiting) : null;
        this.retryAfter = retryAfter;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (bulkhead != null && !bulkhead.tryAcquire()) {
            throw new PoolExhaustedException(pool.getPoolName(), PoolExhaustedException.Reason.BULKHEAD_FULL,
                    Duration.ZERO, retryAfter.get(), "maxWaiting " + maxWaiting,
                    null);
        }
        long start = System.nanoTime();
        try {
            return pool.getConnection();
        } catch (PoolExhaustedException e) {
            throw e;
        } catch (SQLTransientConnectionException e) {
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            Throwable cause = e.getCause();
            PoolExhaustedException.Reason reason = cause == null
                    ? PoolExhaustedException.Reason.TIMED_OUT
                    : PoolExhaustedException.Reason.DATABASE_UNAVAILABLE;
            String detail = cause == null ? e.getMessage() : String.valueOf(cause.getMessage());
            throw new PoolExhaustedException(pool.getPoolName(), reason, waited, retryAfter.get(), detail, e);
        } finally {
            if (bulkhead != null) {
                bulkhead.release();
            }
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("a pooled DataSource hands out connections of its configured user");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
