package dev.weft.events.jdbc;

import java.util.Map;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;
import dev.weft.events.Configs;

/**
 * The names of this module's two tables: the {@code events.outbox.tables} section. The defaults suit one
 * application per database schema; applications sharing a schema (and tests) give each their own names, and the
 * migrations' history table and index names follow the outbox's name, so that two sets never collide.
 *
 * @param outbox          the outbox table (default {@code weft_outbox})
 * @param processedEvents the idempotency table of consumers (default {@code weft_processed_events})
 */
public record EventTables(String outbox, String processedEvents) {
    /** The classpath folder of this module's Flyway migrations. */
    public static final String MIGRATIONS_LOCATION = "classpath:db/weft-events";
    /** Appended to the outbox's name for the migrations' history table: {@code weft_outbox_schema_history}. */
    static final String HISTORY_SUFFIX = "_schema_history";
    /**
     * The longest outbox name: a PostgreSQL identifier has at most 63 bytes, and the history table and the index
     * ({@code <outbox>_pending}) are named after the outbox.
     */
    static final int MAX_OUTBOX_LENGTH = 63 - HISTORY_SUFFIX.length();

    public static EventTables defaults() {
        return new EventTables("weft_outbox", "weft_processed_events");
    }

    /** Both tables named with a suffix: {@code weft_outbox_<suffix>}, {@code weft_processed_events_<suffix>}. */
    public static EventTables suffixed(String suffix) {
        EventTables d = defaults();
        return new EventTables(d.outbox + "_" + suffix, d.processedEvents + "_" + suffix);
    }

    /** Reads the section; an absent key keeps its default; problems, validation included, go to the section's tree. */
    public static EventTables from(ConfigSection s) {
        // Spelt out rather than read by reflection (ConfigSection.read): this runs before a service binds.
        EventTables d = defaults();
        EventTables c = new EventTables(s.string("outbox", d.outbox), s.string("processedEvents", d.processedEvents));
        c.validate(s.path(), s.problems());
        return c;
    }

    /** Adds every problem under {@code path} ({@code events.outbox.tables}). */
    public void validate(String path, Problems problems) {
        Configs.identifier(Configs.join(path, "outbox"), outbox, problems);
        Configs.identifier(Configs.join(path, "processedEvents"), processedEvents, problems);
        if (outbox != null && outbox.length() > MAX_OUTBOX_LENGTH) {
            problems.add(Configs.join(path, "outbox"), "must be at most " + MAX_OUTBOX_LENGTH + " characters (the"
                    + " migrations' history table is named <outbox>" + HISTORY_SUFFIX + "), was \"" + outbox + "\"");
        }
        if (outbox != null && outbox.equalsIgnoreCase(processedEvents)) {
            problems.add(Configs.join(path, "processedEvents"), "must differ from outbox, was \"" + processedEvents
                    + "\"");
        }
    }

    /**
     * What a service's Flyway needs to create and upgrade these tables: this module's migrations, their own history
     * table, and the table names as placeholders. Plain values: this module does not run Flyway itself.
     */
    public EventMigrations migrations() {
        return new EventMigrations(MIGRATIONS_LOCATION, outbox + HISTORY_SUFFIX,
                Map.of("outboxTable", outbox, "processedEventsTable", processedEvents));
    }
}
