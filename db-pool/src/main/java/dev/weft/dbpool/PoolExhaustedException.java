package dev.weft.dbpool;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;

/**
 * No connection could be had in time: the caller should fail fast and tell its client to come back later (HTTP 503
 * with {@code Retry-After: }{@link #retryAfterSeconds()}), not wait longer. It is a
 * {@link SQLTransientConnectionException}, as HikariCP's own timeout is, so JDBC code that handles
 * {@code SQLException} keeps working; code that cares catches this type.
 */
public final class PoolExhaustedException extends SQLTransientConnectionException {

    /** Why no connection was handed out. */
    public enum Reason {
        /** Every connection stayed busy for the whole {@code connectionTimeout}. */
        TIMED_OUT,
        /** The bulkhead was full: {@code maxWaiting} callers were already waiting, so this one did not queue. */
        BULKHEAD_FULL,
        /** The pool could not open connections: the database is down or unreachable. */
        DATABASE_UNAVAILABLE
    }

    private final String poolName;
    private final Reason reason;
    private final Duration waited;
    private final Duration retryAfter;

    public PoolExhaustedException(String poolName, Reason reason, Duration waited, Duration retryAfter,
                                  String detail, Throwable cause) {
        super("pool " + poolName + ": " + describe(reason) + " after " + waited.toMillis() + " ms"
                + (detail.isEmpty() ? "" : " (" + detail + ")") + "; retry after " + seconds(retryAfter) + " s",
                "08001", cause);
        this.poolName = poolName;
        this.reason = reason;
        this.waited = waited;
        this.retryAfter = retryAfter;
    }

    public String poolName() {
        return poolName;
    }

    public Reason reason() {
        return reason;
    }

    /** How long the caller waited before giving up (zero when the bulkhead turned it away). */
    public Duration waited() {
        return waited;
    }

    /** When a retry has a fair chance: the time the queue ahead needs to drain. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** {@link #retryAfter()} in whole seconds, at least 1: the value of an HTTP {@code Retry-After} header. */
    public long retryAfterSeconds() {
        return seconds(retryAfter);
    }

    private static long seconds(Duration d) {
        long s = d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, s);
    }

    private static String describe(Reason reason) {
        return switch (reason) {
            case TIMED_OUT -> "no connection available";
            case BULKHEAD_FULL -> "too many callers already waiting for a connection";
            case DATABASE_UNAVAILABLE -> "cannot connect to the database";
        };
    }
}
