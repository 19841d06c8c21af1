package dev.weft.dbpool.migrate;

import java.time.Duration;

/**
 * One migration that a run applied.
 *
 * @param version       its version, as in the file name ({@code 2} for {@code V2__add_order_status.sql})
 * @param description   the file name's words, underscores read as spaces ({@code add order status})
 * @param script        where it was read from, as Flyway reports it
 * @param executionTime how long it took
 */
public record AppliedMigration(String version, String description, String script, Duration executionTime) {

    @Override
    public String toString() {
        return "V" + version + " (" + description + ")";
    }
}
