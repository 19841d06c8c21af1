package dev.weft.dbpool;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import dev.weft.health.HealthCheck;

/**
 * Readiness for a service's {@code /health/ready}: borrows a connection and runs a cheap validation query
 * ({@code SELECT 1}), all within a timeout. It borrows through the pool on purpose: when no connection comes free
 * within the timeout, this instance cannot serve database requests either, and the probe says so.
 *
 * <p>The borrow and the query run on their own virtual thread so that the timeout holds even while the pool's
 * {@code connectionTimeout} is longer; the query also carries {@code setQueryTimeout}, so a database that accepts
 * the query and then stalls does not keep the thread.
 */
public final class DbReadinessCheck implements HealthCheck {
    /** The cheapest query every supported database answers. */
    public static final String VALIDATION_QUERY = "SELECT 1";

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
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement()) {
                statement.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
                statement.execute(VALIDATION_QUERY);
                result.complete(null);
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("pool " + poolName + ": no answer to " + VALIDATION_QUERY + " within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IllegalStateException("pool " + poolName + ": " + VALIDATION_QUERY + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }
}
