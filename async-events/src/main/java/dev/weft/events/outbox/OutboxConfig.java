package dev.weft.events.outbox;

import java.time.Duration;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;
import dev.weft.config.Units;
import dev.weft.events.Configs;
import dev.weft.events.jdbc.EventTables;

/**
 * How the {@link OutboxRelay} works: the {@code events.outbox} section, with the table names in its {@code tables}
 * section. Immutable; {@link #validate} lists every problem. The service README gives the reason for each default.
 *
 * @param tables         the table names
 * @param batchSize      rows claimed and published per round
 * @param pollInterval   the pause after a round that found fewer than {@code batchSize} rows, and the most an
 *                       event written through the relay's {@link Outbox} waits for its round
 * @param idlePollInterval the pause after a round that found nothing, while nothing is being written through the
 *                       relay's {@link Outbox}: an event written through another {@link Outbox} (another process, or
 *                       a row left by a relay that died) waits at most this long for its round. At least
 *                       {@code pollInterval}
 * @param publishTimeout how long a round waits for the transport's confirms before giving the rest up for a retry
 * @param lease          how long a claimed row is left to its relay; after that another relay may take it. Longer
 *                       than {@code publishTimeout}, so that a live relay never loses its claim
 * @param retryBackoff   how long a row whose publish failed waits before it is tried again
 * @param sentRetention  how long sent rows are kept (for inspection) before the relay deletes them
 */
public record OutboxConfig(EventTables tables, int batchSize, Duration pollInterval, Duration idlePollInterval,
                           Duration publishTimeout, Duration lease, Duration retryBackoff, Duration sentRetention) {

    public static OutboxConfig defaults() {
        return new OutboxConfig(EventTables.defaults(), 500, Duration.ofMillis(100), Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofHours(1));
    }

    /** Reads the section; an absent key keeps its default; problems, validation included, go to the section's tree. */
    public static OutboxConfig from(ConfigSection s) {
        // The tables checked themselves as they were read.
        // Spelt out rather than read by reflection (ConfigSection.read): this runs before a service binds.
        OutboxConfig d = defaults();
        OutboxConfig c = new OutboxConfig(
                EventTables.from(s.section("tables")),
                s.integer("batchSize", d.batchSize),
                s.duration("pollInterval", d.pollInterval),
                s.duration("idlePollInterval", d.idlePollInterval),
                s.duration("publishTimeout", d.publishTimeout),
                s.duration("lease", d.lease),
                s.duration("retryBackoff", d.retryBackoff),
                s.duration("sentRetention", d.sentRetention));
        c.validateSettings(s.path(), s.problems());
        return c;
    }

    /** Adds every problem under {@code path} ({@code events.outbox}), the tables' included. */
    public void validate(String path, Problems problems) {
        if (tables == null) {
            problems.add(Configs.join(path, "tables"), "must be set");
        } else {
            tables.validate(Configs.join(path, "tables"), problems);
        }
        validateSettings(path, problems);
    }

    private void validateSettings(String path, Problems problems) {
        problems.between(Configs.join(path, "batchSize"), batchSize, 1, 10_000);
        problems.positive(Configs.join(path, "pollInterval"), pollInterval);
        problems.positive(Configs.join(path, "idlePollInterval"), idlePollInterval);
        problems.positive(Configs.join(path, "publishTimeout"), publishTimeout);
        if (idlePollInterval != null && idlePollInterval.isPositive() && pollInterval != null
                && idlePollInterval.compareTo(pollInterval) < 0) {
            problems.add(Configs.join(path, "idlePollInterval"), "must be at least " + Configs.join(path,
                    "pollInterval") + " (" + Units.format(pollInterval) + "), was " + Units.format(idlePollInterval));
        }
        problems.positive(Configs.join(path, "lease"), lease);
        problems.positive(Configs.join(path, "retryBackoff"), retryBackoff);
        problems.positive(Configs.join(path, "sentRetention"), sentRetention);
        if (lease != null && publishTimeout != null && lease.compareTo(publishTimeout) <= 0) {
            problems.add(Configs.join(path, "lease"), "must be longer than " + Configs.join(path, "publishTimeout")
                    + " (" + Units.format(publishTimeout) + "), was " + Units.format(lease));
        }
    }
}
