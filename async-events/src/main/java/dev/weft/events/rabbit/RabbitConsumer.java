package dev.weft.events.rabbit;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import dev.weft.events.ConsumerConfig;
import dev.weft.events.EnvelopeCodec;
import dev.weft.events.EventHandler;
import dev.weft.events.MalformedEventException;
import dev.weft.events.Subscription;
import dev.weft.events.metrics.EventMetrics;

/**
 * One consumer group's consumer on one channel with manual acks and a prefetch window. Each delivery runs its
 * handler on a new virtual thread; the prefetch bounds how many run at once.
 *
 * <p>Outcomes: the handler returns: ack. The handler throws and retries are left: the message is republished (with
 * a confirm) to the retry queue of the next delay, carrying its attempt count in {@value #ATTEMPT_HEADER}, and only
 * then acked; when the TTL expires the broker dead-letters it back to the group's queue. No retries left, or the
 * body is not an envelope: republished to the parking queue with the error in {@value #ERROR_HEADER}, then acked.
 * If that republish fails (broker trouble), the message is nacked with requeue, so it is never dropped; the queue's
 * delivery limit ends a loop of such redeliveries in the parking lot.
 *
 * <p>Acks go through one lock because a channel is not safe for concurrent use.
 */
final class RabbitConsumer extends DefaultConsumer implements Subscription {
    static final String ATTEMPT_HEADER = "x-weft-attempt";
    static final String ERROR_HEADER = "x-weft-error";
    private static final Logger log = LoggerFactory.getLogger(RabbitConsumer.class);

    private final String group;
    private final EventHandler handler;
    private final ConsumerConfig config;
    private final RabbitTopology topology;
    private final RabbitPublisher publisher;
    private final EventMetrics metrics;
    private final ReentrantLock channelLock = new ReentrantLock();
    /** One party for the closer, one per handler in flight. */
    private final Phaser inFlight = new Phaser(1);
    private volatile String consumerTag;
    private volatile boolean closed;

    RabbitConsumer(Channel channel, String group, EventHandler handler, ConsumerConfig config,
                   RabbitTopology topology, RabbitPublisher publisher, EventMetrics metrics) {
        super(channel);
        this.group = group;
        this.handler = handler;
        this.config = config;
        this.topology = topology;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    void start() throws IOException {
        getChannel().basicQos(config.prefetch());
        consumerTag = getChannel().basicConsume(topology.queue(group), false, "weft-" + group + "-"
                + Long.toHexString(System.nanoTime()), this);
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public void handleDelivery(String tag, Envelope delivery, AMQP.BasicProperties props, byte[] body) {
        inFlight.register();
        Thread.ofVirtual().name("weft-consumer-" + group).start(() -> {
            try {
                process(delivery.getDeliveryTag(), props, body);
            } finally {
                inFlight.arriveAndDeregister();
            }
        });
    }

    private void process(long deliveryTag, AMQP.BasicProperties props, byte[] body) {
        dev.weft.events.Envelope event;
        try {
            event = EnvelopeCodec.decode(body);
        } catch (MalformedEventException e) {
            park(deliveryTag, props, body, e);
            return;
        }
        try {
            handler.handle(event);
        } catch (Exception e) {
            int attempt = attempt(props);
            if (attempt < config.retryDelays().size()) {
                retry(deliveryTag, props, body, attempt, e);
            } else {
                park(deliveryTag, props, body, e);
            }
            return;
        }
        ack(deliveryTag);
        metrics.consumed(group, "processed");
    }

    private void retry(long deliveryTag, AMQP.BasicProperties props, byte[] body, int attempt, Exception error) {
        Duration delay = config.retryDelays().get(attempt);
        log.debug("{}: event {} failed (attempt {}), retrying in {}: {}", group, props.getMessageId(), attempt + 1,
                delay, error.toString());
        Map<String, Object> headers = new HashMap<>();
        headers.put(ATTEMPT_HEADER, attempt + 1);
        headers.put(ERROR_HEADER, describe(error));
        if (forward(deliveryTag, topology.retryQueue(group, delay), props, body, headers)) {
            metrics.retried(group);
        }
    }

    private void park(long deliveryTag, AMQP.BasicProperties props, byte[] body, Exception error) {
        log.warn("{}: event {} parked in {}: {}", group, props.getMessageId(), topology.parkingQueue(group),
                error.toString());
        Map<String, Object> headers = new HashMap<>();
        headers.put(ATTEMPT_HEADER, attempt(props));
        headers.put(ERROR_HEADER, describe(error));
        headers.put("x-weft-parked-at", Instant.now().toString());
        if (forward(deliveryTag, topology.parkingQueue(group), props, body, headers)) {
            metrics.deadLettered(group);
        }
    }

    /** Republishes to {@code queue} through the dead-letter exchange, acks after the confirm; nack-requeue if not. */
    private boolean forward(long deliveryTag, String queue, AMQP.BasicProperties props, byte[] body,
                            Map<String, Object> headers) {
        AMQP.BasicProperties copy = props.builder().headers(headers).deliveryMode(2).build();
        CompletableFuture<Void> confirm = publisher.publish(topology.deadLetterExchange(), queue, copy, body);
        try {
            confirm.get(config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("{}: could not move event {} to {}, requeueing it: {}", group, props.getMessageId(), queue,
                    e.toString());
            nackRequeue(deliveryTag);
            return false;
        }
        ack(deliveryTag);
        return true;
    }

    static int attempt(AMQP.BasicProperties props) {
        Map<String, Object> headers = props.getHeaders();
        Object value = headers == null ? null : headers.get(ATTEMPT_HEADER);
        return value instanceof Number n ? n.intValue() : 0;
    }

    private static String describe(Exception e) {
        String s = e.toString();
        return s.length() > 500 ? s.substring(0, 500) : s;
    }

    private void ack(long deliveryTag) {
        channelLock.lock();
        try {
            getChannel().basicAck(deliveryTag, false);
        } catch (IOException | RuntimeException e) {
            // The channel went down: the broker redelivers the message, and idempotent handlers skip it.
            log.debug("{}: ack of {} lost: {}", group, deliveryTag, e.toString());
        } finally {
            channelLock.unlock();
        }
    }

    private void nackRequeue(long deliveryTag) {
        channelLock.lock();
        try {
            getChannel().basicNack(deliveryTag, false, true);
        } catch (IOException | RuntimeException e) {
            log.debug("{}: nack of {} lost: {}", group, deliveryTag, e.toString());
        } finally {
            channelLock.unlock();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channelLock.lock();
            try {
                if (getChannel().isOpen() && consumerTag != null) {
                    getChannel().basicCancel(consumerTag);
                }
            } finally {
                channelLock.unlock();
            }
        } catch (IOException | RuntimeException e) {
            log.debug("{}: cancel: {}", group, e.toString());
        }
        try {
            inFlight.awaitAdvanceInterruptibly(inFlight.arrive(), config.stopTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("{}: handlers still running after {}; their events will be redelivered", group,
                    config.stopTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (getChannel().isOpen()) {
                getChannel().close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.debug("{}: close: {}", group, e.toString());
        }
    }

}
