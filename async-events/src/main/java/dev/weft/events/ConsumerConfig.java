package dev.weft.events;

import java.time.Duration;
import java.util.List;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;
import dev.weft.config.Units;

/**
 * How consumer groups consume, the same for RabbitMQ and the in-process bus: the {@code events.consumer} section.
 * Immutable; {@link #validate} lists every problem. The service README gives the reason for each default.
 *
 * @param prefetch      unacknowledged events per group and instance at most; also how many handlers run at once
 * @param retryDelays   the wait before each retry of a failing event; after the last one the event is parked.
 *                      Empty parks at the first failure
 * @param deliveryLimit broker redeliveries (consumer crashed or lost its connection mid-handling) before the
 *                      queue itself dead-letters the event to the parking lot: the guard against a message that
 *                      kills its consumer
 * @param stopTimeout   how long closing a subscription waits for handlers in flight
 */
public record ConsumerConfig(int prefetch, List<Duration> retryDelays, int deliveryLimit, Duration stopTimeout) {
    /** The longest retry delay: a queue's message TTL is a 32-bit count of milliseconds (about 24.8 days). */
    static final Duration MAX_RETRY_DELAY = Duration.ofDays(24);

    public ConsumerConfig {
        retryDelays = retryDelays == null ? null : List.copyOf(retryDelays);
    }

    public static ConsumerConfig defaults() {
        return new ConsumerConfig(100, List.of(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(60)),
                5, Duration.ofSeconds(30));
    }

    /**
     * Reads the section ({@code retryDelays: [1s, 10s, 1m]}, or {@code WEFT_EVENTS_CONSUMER_RETRY_DELAYS=1s,10s});
     * an absent key keeps its default; problems, validation included, go to the section's tree.
     */
    public static ConsumerConfig from(ConfigSection s) {
        // Spelt out rather than read by reflection (ConfigSection.read): this runs before a service binds.
        ConsumerConfig d = defaults();
        ConsumerConfig c = new ConsumerConfig(
                s.integer("prefetch", d.prefetch),
                s.durations("retryDelays", d.retryDelays),
                s.integer("deliveryLimit", d.deliveryLimit),
                s.duration("stopTimeout", d.stopTimeout));
        c.validate(s.path(), s.problems());
        return c;
    }

    /** Adds every problem under {@code path} ({@code events.consumer}). */
    public void validate(String path, Problems problems) {
        problems.between(Configs.join(path, "prefetch"), prefetch, 1, 65535);
        if (retryDelays == null) {
            problems.add(Configs.join(path, "retryDelays"), "must be set (an empty list parks at the first failure)");
        } else if (retryDelays.stream().anyMatch(d -> d.toMillis() < 1 || d.compareTo(MAX_RETRY_DELAY) > 0)) {
            problems.add(Configs.join(path, "retryDelays"), "must each be between 1ms and "
                    + Units.format(MAX_RETRY_DELAY) + ", was "
                    + retryDelays.stream().map(Units::format).toList());
        }
        problems.atLeast(Configs.join(path, "deliveryLimit"), deliveryLimit, 1);
        problems.positive(Configs.join(path, "stopTimeout"), stopTimeout);
    }
}
