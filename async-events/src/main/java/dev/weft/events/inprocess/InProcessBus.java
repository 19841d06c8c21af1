package dev.weft.events.inprocess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.config.Problems;
import dev.weft.events.Configs;
import dev.weft.events.ConsumerConfig;
import dev.weft.events.Envelope;
import dev.weft.events.EventHandler;
import dev.weft.events.EventPublisher;
import dev.weft.events.EventSubscriber;
import dev.weft.events.ParkingLot;
import dev.weft.events.Subscription;
import dev.weft.events.metrics.EventMetrics;

/**
 * The embedded transport: the same {@link EventPublisher}, {@link EventSubscriber} and {@link ParkingLot} as the
 * RabbitMQ one, inside the process, so that an application runs without a broker. Routing is a topic exchange's;
 * each group's handlers run on virtual threads, at most {@code prefetch} at once per group; failures are retried
 * after the configured delays, then parked; parked events can be replayed.
 *
 * <p>Delivery guarantee with the outbox: {@link #publish} completes only when every matching group has run the
 * event's first attempt to its end (handled, scheduled for a retry, or parked), so the relay marks an outbox row
 * sent only after that; a process that dies before leaves the row pending and it is delivered again on restart:
 * at-least-once, like RabbitMQ. What lives only in memory here is the retry schedule and the parking lot, which
 * RabbitMQ keeps in durable queues: an event waiting for a retry, or parked, when the process stops is gone.
 *
 * <p>An event no group subscribes to fails to publish, as an unroutable mandatory message does on RabbitMQ, so the
 * outbox keeps it until a consumer exists.
 */
public final class InProcessBus implements EventPublisher, EventSubscriber, ParkingLot, AutoCloseable {
    static final String TRANSPORT = "inprocess";
    private static final Logger log = LoggerFactory.getLogger(InProcessBus.class);

    private final ConsumerConfig config;
    private final EventMetrics metrics;
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("weft-inprocess-retries").daemon().factory());

    public InProcessBus(ConsumerConfig config, EventMetrics metrics) {
        this.config = Problems.requireValid("events.consumer", config, ConsumerConfig::validate);
        this.metrics = metrics;
    }

    @Override
    public CompletableFuture<Void> publish(Envelope event) {
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        for (Group group : groups.values()) {
            if (group.matches(event.type())) {
                accepted.add(group.deliver(event, 0));
            }
        }
        if (accepted.isEmpty()) {
            metrics.returned(TRANSPORT);
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "unroutable: no consumer group subscribes to " + event.type()));
        }
        metrics.published(TRANSPORT);
        long start = System.nanoTime();
        return CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new))
                .thenRun(() -> metrics.confirmed(TRANSPORT, System.nanoTime() - start));
    }

    @Override
    public Subscription subscribe(String group, List<String> typePatterns, EventHandler handler) {
        Configs.subscription(group, typePatterns);
        Group g = new Group(group, List.copyOf(typePatterns), handler);
        if (groups.putIfAbsent(group, g) != null) {
            throw new IllegalStateException("group " + group + " is already subscribed on this bus");
        }
        return g;
    }

    @Override
    public long size(String group) {
        Group g = groups.get(group);
        return g == null ? 0 : g.parked.size();
    }

    @Override
    public int replay(String group, int max) {
        Group g = groups.get(group);
        if (g == null) {
            throw new IllegalArgumentException("group " + group + " is not subscribed on this bus");
        }
        int moved = 0;
        Envelope event;
        while (moved < max && (event = g.parked.pollFirst()) != null) {
            g.deliver(event, 0);
            moved++;
        }
        return moved;
    }

    /** Closes every subscription gracefully and drops scheduled retries. */
    @Override
    public void close() {
        for (Group g : List.copyOf(groups.values())) {
            g.close();
        }
        retries.shutdownNow();
    }

    private final class Group implements Subscription {
        final String name;
        final List<String> patterns;
        final EventHandler handler;
        final Semaphore slots = new Semaphore(config.prefetch());
        final ConcurrentLinkedDeque<Envelope> parked = new ConcurrentLinkedDeque<>();
        volatile boolean closed;

        Group(String name, List<String> patterns, EventHandler handler) {
            this.name = name;
            this.patterns = patterns;
            this.handler = handler;
        }

        @Override
        public String group() {
            return name;
        }

        boolean matches(String type) {
            for (String p : patterns) {
                if (TopicPattern.matches(p, type)) {
                    return true;
                }
            }
            return false;
        }

        /** Runs one attempt on a virtual thread once a slot is free; the future completes when it has ended. */
        CompletableFuture<Void> deliver(Envelope event, int attempt) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            if (closed) {
                done.completeExceptionally(new IllegalStateException("group " + name + " is closed"));
                return done;
            }
            Thread.ofVirtual().name("weft-inprocess-" + name).start(() -> {
                slots.acquireUninterruptibly();
                try {
                    attempt(event, attempt);
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                } finally {
                    slots.release();
                }
            });
            return done;
        }

        private void attempt(Envelope event, int attempt) {
            try {
                handler.handle(event);
                metrics.consumed(name, "processed");
            } catch (Exception e) {
                if (attempt < config.retryDelays().size() && !closed) {
                    Duration delay = config.retryDelays().get(attempt);
                    log.debug("{}: event {} failed (attempt {}), retrying in {}: {}", name, event.id(),
                            attempt + 1, delay, e.toString());
                    metrics.retried(name);
                    retries.schedule(() -> deliver(event, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
                } else {
                    log.warn("{}: event {} parked: {}", name, event.id(), e.toString());
                    metrics.deadLettered(name);
                    parked.addLast(event);
                }
            }
        }

        /** Stops routing to this group and waits up to {@code stopTimeout} for its handlers in flight. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            groups.remove(name, this);
            try {
                if (slots.tryAcquire(config.prefetch(), config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    slots.release(config.prefetch());
                } else {
                    log.warn("{}: handlers still running after {}", name, config.stopTimeout());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
