package dev.weft.events.jdbc;

import dev.weft.events.Configs;
import dev.weft.http.config.Problems;

/**
 * The names of this module's two tables. The defaults suit one application per database schema; tests and
 * applications sharing a schema give each their own names.
 *
 * @param outbox          the outbox table (default {@code weft_outbox})
 * @param processedEvents the idempotency table of consumers (default {@code weft_processed_events})
 */
public record EventTables(String outbox, String processedEvents) {
    public static final String DEFAULT_OUTBOX = "weft_outbox";
    public static final String DEFAULT_PROCESSED_EVENTS = "weft_processed_events";

    public static EventTables defaults() {
        return new EventTables(DEFAULT_OUTBOX, DEFAULT_PROCESSED_EVENTS);
    }

    /** Both tables named with a suffix: {@code weft_outbox_<suffix>}, {@code weft_processed_events_<suffix>}. */
    public static EventTables suffixed(String suffix) {
        return new EventTables(DEFAULT_OUTBOX + "_" + suffix, DEFAULT_PROCESSED_EVENTS + "_" + suffix)
                .validate("tables.");
    }

    public EventTables validate(String prefix) {
        Problems problems = new Problems();
        Configs.identifier(prefix + "outbox", outbox, problems);
        Configs.identifier(prefix + "processedEvents", processedEvents, problems);
        if (outbox != null && outbox.equalsIgnoreCase(processedEvents)) {
            problems.add(prefix + "processedEvents: must differ from outbox");
        }
        Problems.throwIfAny(problems.list());
        return this;
    }
}
