package dev.weft.events.service;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;
import dev.weft.events.Configs;
import dev.weft.events.ConsumerConfig;
import dev.weft.events.outbox.OutboxConfig;
import dev.weft.events.rabbit.RabbitConfig;

/**
 * The {@code events} section of a service's configuration: which transport carries the events, and how the
 * consumers and the outbox relay work. Read it with {@link #from}, or in code with
 * {@code ConfigTree.of(Map.of("mode", "rabbitmq")).read(EventsConfig::from)}; {@link Events#open} takes it.
 *
 * <pre>{@code
 * events:
 *   mode: rabbitmq                 # or inprocess (the default): the same interfaces inside the process
 *   rabbitmq: {host: mq.internal, exchange: shop.events}
 *   consumer: {prefetch: 50, retryDelays: [1s, 10s, 1m]}
 *   outbox: {batchSize: 500, tables: {outbox: shop_outbox, processedEvents: shop_processed_events}}
 * }</pre>
 *
 * @param mode     the transport: {@link Mode#INPROCESS} or {@link Mode#RABBITMQ}; {@link Mode#OFF} for none
 * @param rabbitmq the broker and its publishing settings; read in every mode, validated only in RABBITMQ mode, so
 *                 that one file can carry the broker's settings for the environments that use it
 * @param consumer how consumer groups consume, on either transport
 * @param outbox   the outbox relay and the table names
 */
public record EventsConfig(Mode mode, RabbitConfig rabbitmq, ConsumerConfig consumer, OutboxConfig outbox) {

    /** The transport that carries events from the outbox to the consumer groups. */
    public enum Mode {
        /**
         * In the process: no broker, the same delivery contract; retries and parked events live in memory. For one
         * instance, development and tests.
         */
        INPROCESS,
        /** RabbitMQ with publisher confirms and quorum queues: events cross instances and survive restarts. */
        RABBITMQ,
        /**
         * No transport: the module is not opened, and a service that can work either way handles its events inside
         * the request instead (the shop then runs its consumers in the order's transaction). For comparing the two
         * with one setting, {@code WEFT_EVENTS_MODE=off}.
         */
        OFF
    }

    public static EventsConfig defaults() {
        return new EventsConfig(Mode.INPROCESS, RabbitConfig.defaults(), ConsumerConfig.defaults(),
                OutboxConfig.defaults());
    }

    /**
     * Reads the section, every subsection included; an absent key keeps its default; problems, validation included,
     * go to the section's tree.
     */
    public static EventsConfig from(ConfigSection s) {
        // The consumer and outbox sections checked themselves as they were read.
        // Spelt out rather than read by reflection (ConfigSection.read): this runs before a service binds.
        EventsConfig c = new EventsConfig(
                s.enumValue("mode", Mode.class, defaults().mode),
                RabbitConfig.from(s.section("rabbitmq")),
                ConsumerConfig.from(s.section("consumer")),
                OutboxConfig.from(s.section("outbox")));
        c.validateTransport(s.path(), s.problems());
        return c;
    }

    /** Adds every problem under {@code path} ({@code events}): the rabbitmq section's only in RABBITMQ mode. */
    public void validate(String path, Problems problems) {
        problems.required(Configs.join(path, "mode"), mode);
        validateTransport(path, problems);
        if (consumer == null) {
            problems.add(Configs.join(path, "consumer"), "must be set");
        } else {
            consumer.validate(Configs.join(path, "consumer"), problems);
        }
        if (outbox == null) {
            problems.add(Configs.join(path, "outbox"), "must be set");
        } else {
            outbox.validate(Configs.join(path, "outbox"), problems);
        }
    }

    private void validateTransport(String path, Problems problems) {
        if (mode != Mode.RABBITMQ) {
            return;
        }
        if (rabbitmq == null) {
            problems.add(Configs.join(path, "rabbitmq"), "must be set in mode rabbitmq");
        } else {
            rabbitmq.validate(Configs.join(path, "rabbitmq"), problems);
        }
    }
}
