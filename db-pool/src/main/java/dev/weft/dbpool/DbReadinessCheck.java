package dev.weft.dbpool;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import dev.weft.health.HealthCheck;

/**
 * Readiness for a service's {@code /health/ready}: borrows a connection and asks the driver whether it is alive
 * ({@link Connection#isValid(int)}: a round trip to the database), all within a timeout. It borrows through the pool
 * on purpose: when no connection comes free within the timeout, this instance cannot serve database requests either,
 * and the probe says so.
 *
 * <p>The borrow and the round trip run on their own virtual thread so that the timeout holds even while the pool's
 * {@code connectionTimeout} is longer; {@code isValid} carries the timeout too, so a database that stalls does not
 * keep the thread. Not {@code Statement.setQueryTimeout} on a query: H2 applies a statement's timeout to the whole
 * session, so a probe's few seconds stayed on the pooled connection and cut the next long statement on it (a
 * start-up seed, measured: cancelled after the probe's 4 s).
 */
public final class DbReadinessCheck implements HealthCheck {
    private final String poolName;
    private final DataSource dataSource;
    private final Duration timeout;

    public DbReadinessCheck(String poolName, DataSource dataSource, Duration timeout) {
        this.poolName = poolName;
        this.dataSource = dataSource;
        this.timeout = timeout;
    }

    @Override
    public void check() throws Exception {
        CompletableFuture<Void> result = new CompletableFuture<>();
        Thread.ofVirtual().name("db-ready-" + poolName).start(() -> {
            try (Connection connection = dataSource.getConnection()) {
                if (connection.isValid((int) Math.max(1, (timeout.toMillis() + 999) / 1000))) {
                    result.complete(null);
                } else {
                    result.completeExceptionally(new IllegalStateException("the connection is not valid"));
                }
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("pool " + poolName + ": no valid connection within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IllegalStateException("pool " + poolName + ": validation failed: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }
}
