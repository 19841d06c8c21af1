package dev.weft.events.rabbit;

import java.io.IOException;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;

import dev.weft.events.Envelope;
import dev.weft.events.EnvelopeCodec;
import dev.weft.events.EventPublisher;
import dev.weft.events.metrics.EventMetrics;

/**
 * Publishes to RabbitMQ through a pool of {@link ConfirmingChannel}s on its own connection (publishers and
 * consumers use separate connections, so that the broker's flow control on a busy publisher never slows the
 * acks of consumers). A publishing thread borrows a channel, publishes, and returns it at once: the channel is
 * never used by two threads at the same time, and the thread does not wait for the confirm, which arrives on the
 * returned future. Threads beyond the pool size wait for a channel.
 *
 * <p>Messages are persistent (delivery mode 2), mandatory, JSON, and carry the event id as {@code message-id} (what
 * the return listener and consumers go by), the type, the occurrence time and the correlation id as AMQP
 * properties as well as in the body.
 */
public final class RabbitPublisher implements EventPublisher, AutoCloseable {
    private final RabbitConnector connector;
    private final RabbitConfig config;
    private final RabbitTopology topology;
    private final EventMetrics metrics;
    private final BlockingQueue<ConfirmingChannel> idle;
    private int created;

    RabbitPublisher(RabbitConnector connector, RabbitConfig config, RabbitTopology topology, EventMetrics metrics) {
        this.connector = connector;
        this.config = config;
        this.topology = topology;
        this.metrics = metrics;
        this.idle = new ArrayBlockingQueue<>(config.publishChannels());
    }

    /** Publishes {@code event} to the topic exchange with its type as routing key. */
    @Override
    public CompletableFuture<Void> publish(Envelope event) {
        return publish(topology.exchange(), event.type(), properties(event, Map.of()), EnvelopeCodec.encode(event));
    }

    /** Publishes raw bytes with the given properties: retries, parking and replays go through here. */
    CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties props, byte[] body) {
        ConfirmingChannel channel;
        try {
            channel = borrow();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(new PublishException(e.getMessage(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        try {
            return channel.publish(exchange, routingKey, props, body);
        } finally {
            idle.offer(channel);
        }
    }

    /** The AMQP properties of an event's message, with extra headers. */
    static AMQP.BasicProperties properties(Envelope event, Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .messageId(event.id())
                .type(event.type())
                .correlationId(event.correlationId())
                .timestamp(Date.from(event.occurredAt()))
                .headers(headers.isEmpty() ? null : new HashMap<>(headers))
                .build();
    }

    private ConfirmingChannel borrow() throws IOException, InterruptedException {
        ConfirmingChannel channel = idle.poll();
        if (channel == null) {
            channel = createOrWait();
        }
        if (!channel.isOpen() && connector.isOpen()) {
            // Closed by a channel-level error (not a connection loss, which recovery handles): replace it.
            channel.close();
            channel = new ConfirmingChannel(connector.get(), config.confirmWindow(), config.confirmTimeout(), metrics);
        }
        return channel;
    }

    private ConfirmingChannel createOrWait() throws IOException, InterruptedException {
        synchronized (this) {
            if (created < config.publishChannels()) {
                ConfirmingChannel channel = new ConfirmingChannel(connector.get(), config.confirmWindow(),
                        config.confirmTimeout(), metrics);
                created++;
                return channel;
            }
        }
        ConfirmingChannel channel = idle.poll(config.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (channel == null) {
            throw new IOException("no publishing channel free within " + config.confirmTimeout());
        }
        return channel;
    }

    @Override
    public void close() {
        ConfirmingChannel channel;
        while ((channel = idle.poll()) != null) {
            channel.close();
        }
    }
}
