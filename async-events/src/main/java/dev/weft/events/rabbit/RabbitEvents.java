package dev.weft.events.rabbit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.Channel;

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
import dev.weft.health.HealthCheck;

/**
 * The RabbitMQ transport: an {@link EventPublisher} with streaming confirms, an {@link EventSubscriber} of quorum
 * queues with retries and a parking lot, the {@link ParkingLot}, and a readiness {@link HealthCheck}. It holds two
 * connections, {@code <connectionName>-publish} and {@code <connectionName>-consume}, both recovering
 * automatically.
 *
 * <pre>{@code
 * RabbitEvents rabbit = new RabbitEvents(RabbitConfig.defaults(), ConsumerConfig.defaults(), metrics);
 * rabbit.subscribe("inventory", List.of("order.*"), handler);
 * new OutboxRelay(dataSource, rabbit, OutboxConfig.defaults(), metrics).start();
 * }</pre>
 */
public final class RabbitEvents implements EventPublisher, EventSubscriber, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RabbitEvents.class);

    private final ConsumerConfig consumerConfig;
    private final EventMetrics metrics;
    private final RabbitTopology topology;
    private final RabbitConnector publishing;
    private final RabbitConnector consuming;
    private final RabbitPublisher publisher;
    private final RabbitParkingLot parkingLot;
    private final List<RabbitConsumer> consumers = new CopyOnWriteArrayList<>();

    /**
     * Validates both configurations (every problem at once) and tries to connect the publisher. A broker that is
     * down now is not an error: publishes fail fast until it is reachable, and the outbox holds the events.
     */
    public RabbitEvents(RabbitConfig config, ConsumerConfig consumerConfig, EventMetrics metrics) {
        Problems problems = new Problems();
        config.validate("events.rabbitmq", problems);
        consumerConfig.validate("events.consumer", problems);
        problems.throwIfAny();
        this.consumerConfig = consumerConfig;
        this.metrics = metrics;
        this.topology = new RabbitTopology(config.exchange());
        this.publishing = new RabbitConnector(config, "publish", topology);
        this.consuming = new RabbitConnector(config, "consume", topology);
        this.publisher = new RabbitPublisher(publishing, config, topology, metrics);
        this.parkingLot = new RabbitParkingLot(consuming, topology, publisher, config);
        try {
            publishing.get();
        } catch (IOException e) {
            log.warn("RabbitMQ is not reachable yet; events wait in the outbox: {}", e.getMessage());
        }
    }

    @Override
    public CompletableFuture<Void> publish(Envelope event) {
        return publisher.publish(event);
    }

    /**
     * Declares the group's queues (see {@link RabbitTopology}) and starts consuming. Throws
     * {@link UncheckedIOException} if the broker cannot be reached: consumers need it to exist.
     */
    @Override
    public Subscription subscribe(String group, List<String> typePatterns, EventHandler handler) {
        Configs.subscription(group, typePatterns);
        try {
            consuming.declare(ch -> topology.declareGroup(ch, group, typePatterns, consumerConfig));
            Channel channel = consuming.get().createChannel();
            RabbitConsumer consumer = new RabbitConsumer(channel, group, handler, consumerConfig, topology,
                    publisher, metrics);
            consumer.start();
            consumers.add(consumer);
            return consumer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot subscribe group " + group + ": " + e.getMessage(), e);
        }
    }

    public ParkingLot parkingLot() {
        return parkingLot;
    }

    public RabbitTopology topology() {
        return topology;
    }

    public HealthCheck healthCheck() {
        return new RabbitHealthCheck(this, publishing, consuming);
    }

    boolean hasSubscriptions() {
        return !consumers.isEmpty();
    }

    /**
     * Deletes the queues of {@code groups} and both exchanges: for tests and for tearing down an environment.
     * Consumers of those groups should be closed first.
     */
    public void deleteTopology(List<String> groups) throws IOException {
        consuming.declare(ch -> {
            for (String group : groups) {
                topology.deleteGroup(ch, group, consumerConfig);
            }
            topology.deleteExchanges(ch);
        });
    }

    /** Stops every consumer gracefully (see {@link Subscription#close()}), then closes both connections. */
    @Override
    public void close() {
        for (RabbitConsumer consumer : consumers) {
            consumer.close();
        }
        publisher.close();
        publishing.close();
        consuming.close();
    }
}
