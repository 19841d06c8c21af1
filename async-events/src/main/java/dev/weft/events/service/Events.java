package dev.weft.events.service;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;

import dev.weft.config.Problems;
import dev.weft.events.EventHandler;
import dev.weft.events.EventPublisher;
import dev.weft.events.EventSubscriber;
import dev.weft.events.ParkingLot;
import dev.weft.events.Subscription;
import dev.weft.events.idempotency.JdbcIdempotentHandler;
import dev.weft.events.idempotency.TransactionalEventHandler;
import dev.weft.events.inprocess.InProcessBus;
import dev.weft.events.metrics.EventMetrics;
import dev.weft.events.outbox.Outbox;
import dev.weft.events.outbox.OutboxRelay;
import dev.weft.events.rabbit.RabbitEvents;
import dev.weft.health.HealthCheck;

/**
 * A service's events, opened from its {@code events} section: the transport (RabbitMQ or the in-process bus), the
 * {@link Outbox} to write events in the service's own transactions, and the {@link OutboxRelay} that publishes
 * them, already running. The service writes only its outbox writes and its consumers:
 *
 * <pre>{@code
 * // first the tables: the service's Flyway applies config.outbox().tables().migrations()
 * Events events = Events.open(config, dataSource, meterRegistry);
 * events.subscribe("inventory", List.of("order.*"),
 *         events.idempotent("inventory", (event, tx) -> reserveStock(tx, event.payload())));
 * health.addCheck("events", Duration.ofSeconds(2), events.healthCheck());
 *
 * try (Connection c = dataSource.getConnection()) {                   // in a request
 *     c.setAutoCommit(false);
 *     insertOrder(c, order);
 *     events.outbox().add(c, Envelope.of("order.created", 1, payload, requestId));
 *     c.commit();
 * }
 * events.close();                                                     // at shutdown, after the server's
 * }</pre>
 *
 * <p>The relay starts at once. An event it finds while no group subscribes to its type (in process before the
 * consumers subscribe, or on a broker where no group's queue was declared yet) is unroutable and waits in the outbox
 * for {@code outbox.retryBackoff} before its next try: subscribe the consumers right after opening. The tables must exist first ({@link dev.weft.events.jdbc.EventTables#migrations()}); until
 * they do, the relay logs each failed round and tries again.
 */
public final class Events implements EventSubscriber, AutoCloseable {
    private final EventsConfig config;
    private final DataSource dataSource;
    private final EventMetrics metrics;
    private final EventPublisher publisher;
    private final EventSubscriber subscriber;
    private final ParkingLot parkingLot;
    private final HealthCheck healthCheck;
    private final Runnable closeTransport;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Events(EventsConfig config, DataSource dataSource, EventMetrics metrics, RabbitEvents rabbit,
                   InProcessBus bus) {
        this.config = config;
        this.dataSource = dataSource;
        this.metrics = metrics;
        if (rabbit != null) {
            this.publisher = rabbit;
            this.subscriber = rabbit;
            this.parkingLot = rabbit.parkingLot();
            this.healthCheck = rabbit.healthCheck();
            this.closeTransport = rabbit::close;
        } else {
            this.publisher = bus;
            this.subscriber = bus;
            this.parkingLot = bus;
            this.healthCheck = () -> { };
            this.closeTransport = bus::close;
        }
        this.relay = new OutboxRelay(dataSource, publisher, config.outbox(), metrics);
        this.outbox = relay.outbox();
    }

    /**
     * Validates {@code config} (a {@code ConfigException} lists every problem), opens the transport and starts the
     * outbox relay on {@code dataSource}. A broker that is down now is not an error: the relay's publishes fail
     * fast, events wait in the outbox, and {@link #healthCheck()} fails until the broker is back.
     *
     * @param registry where the {@code weft.events.*} meters go
     */
    public static Events open(EventsConfig config, DataSource dataSource, MeterRegistry registry) {
        Problems.requireValid("events", config, EventsConfig::validate);
        if (config.mode() == EventsConfig.Mode.OFF) {
            throw new IllegalArgumentException("events.mode is off: there is no transport to open");
        }
        EventMetrics metrics = new EventMetrics(registry);
        RabbitEvents rabbit = null;
        InProcessBus bus = null;
        try {
            if (config.mode() == EventsConfig.Mode.RABBITMQ) {
                rabbit = new RabbitEvents(config.rabbitmq(), config.consumer(), metrics);
            } else {
                bus = new InProcessBus(config.consumer(), metrics);
            }
            Events events = new Events(config, dataSource, metrics, rabbit, bus);
            events.relay.start();
            return events;
        } catch (RuntimeException e) {
            if (rabbit != null) {
                rabbit.close();
            }
            if (bus != null) {
                bus.close();
            }
            throw e;
        }
    }

    public EventsConfig config() {
        return config;
    }

    /**
     * The transport's publisher: publishes at once, outside any transaction, completing on the broker's confirm.
     * Events that must commit with a database change go through {@link #outbox()} instead.
     */
    public EventPublisher publisher() {
        return publisher;
    }

    /**
     * Writes events into the outbox in the caller's transaction; the running relay publishes them once committed.
     * Each write wakes the relay from its idle poll ({@link OutboxRelay#outbox()}).
     */
    public Outbox outbox() {
        return outbox;
    }

    /**
     * Starts a consumer group on the transport (see {@link EventSubscriber}); closing this handle stops it after
     * its handlers in flight. On RabbitMQ this needs the broker: it throws if the broker cannot be reached.
     */
    @Override
    public Subscription subscribe(String group, List<String> typePatterns, EventHandler handler) {
        return subscriber.subscribe(group, typePatterns, handler);
    }

    /**
     * {@code handler} made idempotent per event id for {@code group}, in its own transaction on this handle's data
     * source and processed-events table (see {@link JdbcIdempotentHandler}): pass it to {@link #subscribe} with the
     * same group.
     */
    public EventHandler idempotent(String group, TransactionalEventHandler handler) {
        return new JdbcIdempotentHandler(dataSource, config.outbox().tables(), group, handler, metrics);
    }

    /** Events that failed every retry, by group, and their replay. */
    public ParkingLot parkingLot() {
        return parkingLot;
    }

    /**
     * Readiness: in RABBITMQ mode, fails while the broker connection (or, once a group is subscribed, the
     * consuming one) is down or recovering; in INPROCESS mode there is nothing outside the process to wait for.
     */
    public HealthCheck healthCheck() {
        return healthCheck;
    }

    /** The meters this handle records, {@code weft.events.*}. */
    public EventMetrics metrics() {
        return metrics;
    }

    /**
     * Stops in the order that loses nothing: the relay (after its current round), then the consumers (their
     * handlers in flight finish and are acknowledged, up to {@code consumer.stopTimeout}), then the transport's
     * connections. Events not yet relayed stay in the outbox for the next start. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            relay.close();
        } finally {
            closeTransport.run();
        }
    }
}
