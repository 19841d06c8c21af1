package dev.weft.events;

import java.time.Duration;
import java.util.List;

import dev.weft.http.ConfigException;
import dev.weft.http.config.Problems;

/**
 * How consumer groups consume, the same for RabbitMQ and the in-process bus. Immutable; {@link #validate()} lists
 * every problem. The module README gives the reason for each default.
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

    public ConsumerConfig {
        retryDelays = retryDelays == null ? null : List.copyOf(retryDelays);
    }

    public static ConsumerConfig defaults() {
        return new ConsumerConfig(100, List.of(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(60)),
                5, Duration.ofSeconds(30));
    }

    public ConsumerConfig withPrefetch(int value) {
        return new ConsumerConfig(value, retryDelays, deliveryLimit, stopTimeout);
    }

    public ConsumerConfig withRetryDelays(List<Duration> value) {
        return new ConsumerConfig(prefetch, value, deliveryLimit, stopTimeout);
    }

    public ConsumerConfig withDeliveryLimit(int value) {
        return new ConsumerConfig(prefetch, retryDelays, value, stopTimeout);
    }

    public ConsumerConfig withStopTimeout(Duration value) {
        return new ConsumerConfig(prefetch, retryDelays, deliveryLimit, value);
    }

    /** Returns this config, or throws {@link ConfigException} listing every problem under {@code prefix}. */
    public ConsumerConfig validate(String prefix) {
        Problems problems = new Problems();
        problems.between(prefix + "prefetch", prefetch, 1, 65535);
        if (retryDelays == null) {
            problems.add(prefix + "retryDelays: must be a list (empty to park at the first failure)");
        } else {
            for (int i = 0; i < retryDelays.size(); i++) {
                Duration d = retryDelays.get(i);
                if (d == null || d.toMillis() < 1 || d.toMillis() > Integer.MAX_VALUE) {
                    problems.add(prefix + "retryDelays[" + i + "]: must be between 1 ms and 24 days, got " + d);
                }
            }
        }
        problems.atLeast(prefix + "deliveryLimit", deliveryLimit, 1);
        problems.positive(prefix + "stopTimeout", stopTimeout);
        Problems.throwIfAny(problems.list());
        return this;
    }
}
