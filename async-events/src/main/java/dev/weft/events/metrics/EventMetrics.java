package dev.weft.events.metrics;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Every meter this module records, named {@code weft.events.*}. One instance per registry; the RabbitMQ transport,
 * the in-process bus, the outbox relay and the idempotent handler share it.
 *
 * <ul>
 *   <li>{@code weft.events.published}, {@code .confirmed}, {@code .nacked}, {@code .returned}: counters, tag
 *       {@code transport}</li>
 *   <li>{@code weft.events.confirm.latency}: timer from publish to confirm</li>
 *   <li>{@code weft.events.outbox.pending}: gauge, rows not yet sent; {@code weft.events.outbox.oldest.age}: gauge,
 *       seconds since the oldest pending row was written (0 when none): the number to alert on</li>
 *   <li>{@code weft.events.consumed}: counter, tags {@code group} and {@code outcome} = {@code processed} (the
 *       handler returned; acked), {@code retried} or {@code parked}</li>
 *   <li>{@code weft.events.retried}, {@code weft.events.dead_lettered}: counters, tag {@code group}</li>
 *   <li>{@code weft.events.duplicates}: counter, tag {@code group}: deliveries the idempotent handler skipped
 *       because the event was processed before (they also count as {@code consumed{outcome=processed}})</li>
 * </ul>
 */
public final class EventMetrics {
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer confirmLatency;
    private final AtomicLong outboxPending = new AtomicLong();
    /** Epoch millis when the oldest pending row was written, or 0 when none is pending. */
    private final AtomicLong outboxOldestMillis = new AtomicLong();

    public EventMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.confirmLatency = Timer.builder("weft.events.confirm.latency")
                .description("time from publish to the broker's confirm")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        Gauge.builder("weft.events.outbox.pending", outboxPending, AtomicLong::get)
                .description("outbox rows not yet confirmed by the transport")
                .register(registry);
        Gauge.builder("weft.events.outbox.oldest.age", this, m -> m.outboxOldestAge().toMillis() / 1000.0)
                .description("seconds since the oldest pending outbox row was written")
                .baseUnit("seconds")
                .register(registry);
    }

    /** Metrics into a private registry, for code that was given none. */
    public static EventMetrics noop() {
        return new EventMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void published(String transport) {
        counter("weft.events.published", "transport", transport).increment();
    }

    public void confirmed(String transport, long latencyNanos) {
        counter("weft.events.confirmed", "transport", transport).increment();
        confirmLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    public void nacked(String transport) {
        counter("weft.events.nacked", "transport", transport).increment();
    }

    public void returned(String transport) {
        counter("weft.events.returned", "transport", transport).increment();
    }

    public void consumed(String group, String outcome) {
        counter("weft.events.consumed", "group", group, "outcome", outcome).increment();
    }

    public void retried(String group) {
        counter("weft.events.retried", "group", group).increment();
        consumed(group, "retried");
    }

    public void deadLettered(String group) {
        counter("weft.events.dead_lettered", "group", group).increment();
        consumed(group, "parked");
    }

    public void duplicate(String group) {
        counter("weft.events.duplicates", "group", group).increment();
    }

    /** Called by the relay after each look at the outbox. */
    public void outbox(long pending, long oldestEpochMillis) {
        outboxPending.set(pending);
        outboxOldestMillis.set(pending == 0 ? 0 : oldestEpochMillis);
    }

    public long outboxPending() {
        return outboxPending.get();
    }

    public Duration outboxOldestAge() {
        long oldest = outboxOldestMillis.get();
        return oldest == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, System.currentTimeMillis() - oldest));
    }

    /** The current value of a counter this class records, 0 if it was never incremented. */
    public double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private Counter counter(String name, String... tags) {
        String key = name + String.join(",", tags);
        Counter c = counters.get(key);
        return c != null ? c : counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
    }
}
