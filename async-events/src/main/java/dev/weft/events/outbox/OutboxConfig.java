package dev.weft.events.outbox;

import java.time.Duration;

import dev.weft.events.jdbc.EventTables;
import dev.weft.http.ConfigException;
import dev.weft.http.config.Problems;

/**
 * How the {@link OutboxRelay} works. Immutable; {@link #validate()} lists every problem. The module README gives the
 * reason for each default.
 *
 * @param tables         the table names
 * @param batchSize      rows claimed and published per round
 * @param pollInterval   the pause after a round that found fewer than {@code batchSize} rows
 * @param publishTimeout how long a round waits for the transport's confirms before giving the rest up for a retry
 * @param lease          how long a claimed row is left to its relay; after that another relay may take it. Longer
 *                       than {@code publishTimeout}, so that a live relay never loses its claim
 * @param retryBackoff   how long a row whose publish failed waits before it is tried again
 * @param sentRetention  how long sent rows are kept (for inspection) before the relay deletes them
 */
public record OutboxConfig(EventTables tables, int batchSize, Duration pollInterval, Duration publishTimeout,
                           Duration lease, Duration retryBackoff, Duration sentRetention) {

    public static OutboxConfig defaults() {
        return new OutboxConfig(EventTables.defaults(), 500, Duration.ofMillis(100), Duration.ofSeconds(10),
                Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofHours(1));
    }

    public OutboxConfig withTables(EventTables value) {
        return new OutboxConfig(value, batchSize, pollInterval, publishTimeout, lease, retryBackoff, sentRetention);
    }

    public OutboxConfig withBatchSize(int value) {
        return new OutboxConfig(tables, value, pollInterval, publishTimeout, lease, retryBackoff, sentRetention);
    }

    public OutboxConfig withPollInterval(Duration value) {
        return new OutboxConfig(tables, batchSize, value, publishTimeout, lease, retryBackoff, sentRetention);
    }

    public OutboxConfig withPublishTimeout(Duration value) {
        return new OutboxConfig(tables, batchSize, pollInterval, value, lease, retryBackoff, sentRetention);
    }

    public OutboxConfig withLease(Duration value) {
        return new OutboxConfig(tables, batchSize, pollInterval, publishTimeout, value, retryBackoff, sentRetention);
    }

    public OutboxConfig withRetryBackoff(Duration value) {
        return new OutboxConfig(tables, batchSize, pollInterval, publishTimeout, lease, value, sentRetention);
    }

    public OutboxConfig withSentRetention(Duration value) {
        return new OutboxConfig(tables, batchSize, pollInterval, publishTimeout, lease, retryBackoff, value);
    }

    /** Returns this config, or throws {@link ConfigException} listing every problem under {@code prefix}. */
    public OutboxConfig validate(String prefix) {
        Problems problems = new Problems();
        if (tables == null) {
            problems.add(prefix + "tables: required");
        } else {
            try {
                tables.validate(prefix + "tables.");
            } catch (ConfigException e) {
                e.problems().forEach(problems::add);
            }
        }
        problems.between(prefix + "batchSize", batchSize, 1, 10_000);
        problems.positive(prefix + "pollInterval", pollInterval);
        problems.positive(prefix + "publishTimeout", publishTimeout);
        problems.positive(prefix + "lease", lease);
        problems.positive(prefix + "retryBackoff", retryBackoff);
        problems.positive(prefix + "sentRetention", sentRetention);
        if (lease != null && publishTimeout != null && lease.compareTo(publishTimeout) <= 0) {
            problems.add(prefix + "lease: must be longer than publishTimeout (" + publishTimeout + "), got " + lease);
        }
        Problems.throwIfAny(problems.list());
        return this;
    }
}
