package dev.weft.events.jdbc;

import java.util.Map;

/**
 * This module's tables as Flyway migrations, for the service's own Flyway to apply (db-pool's
 * {@code DbPool.migrate}), in a run of their own next to the service's migrations:
 *
 * <pre>{@code
 * EventMigrations m = config.outbox().tables().migrations();
 * Flyway.configure().dataSource(dataSource)
 *         .locations(m.location()).table(m.historyTable()).placeholders(m.placeholders())
 *         .baselineOnMigrate(true).baselineVersion("0")   // the schema already holds the service's own tables
 *         .load().migrate();
 * }</pre>
 *
 * <p>The scripts ({@code V1__event_tables.sql}, ...) are plain SQL that runs on PostgreSQL and on H2 (in
 * PostgreSQL mode or not). Their own history table keeps their versions apart from the service's: both may have a
 * {@code V1}. A schema that holds other tables has no history table of this module yet on the first run, and Flyway
 * refuses a non-empty schema without one unless told to baseline it; baselining at version {@code 0} then applies
 * every script. {@code V1} creates the tables only if missing, so it also adopts tables created before the
 * migrations existed.
 *
 * @param location     where the scripts are, as a Flyway location: {@code classpath:db/weft-events}
 * @param historyTable the history table of this set of tables: {@code <outbox>_schema_history}, so that two sets
 *                     of tables in one schema keep two histories
 * @param placeholders the table names, by placeholder: {@code outboxTable}, {@code processedEventsTable}
 */
public record EventMigrations(String location, String historyTable, Map<String, String> placeholders) {
    public EventMigrations {
        placeholders = Map.copyOf(placeholders);
    }
}
