package dev.weft.events.rabbit;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ReturnListener;
import com.rabbitmq.client.ShutdownListener;
import com.rabbitmq.client.ShutdownSignalException;

import dev.weft.events.metrics.EventMetrics;

/**
 * One channel in confirm mode with streaming confirms: each publish records its sequence number and a future, and
 * the broker's acks and nacks (possibly covering many at once, {@code multiple}) complete the futures from the
 * connection's thread. At most {@code window} publishes are outstanding; a publisher blocks for a free slot, which is
 * the back-pressure that keeps a slow broker from filling memory. Publishing is mandatory: a message no queue is
 * bound for comes back through the return listener, and its future fails instead of succeeding silently.
 *
 * <p>Used by one thread at a time (the pool hands it out exclusively): channels are not thread-safe for publishing,
 * and sequence numbers only make sense in one thread's order. The listeners run on the connection's thread.
 */
final class ConfirmingChannel implements ConfirmListener, ReturnListener, ShutdownListener {
    static final String TRANSPORT = "rabbitmq";

    private final Channel channel;
    private final Semaphore window;
    private final Duration timeout;
    private final EventMetrics metrics;
    private final ConcurrentSkipListMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();

    ConfirmingChannel(Connection connection, int window, Duration timeout, EventMetrics metrics) throws IOException {
        this.channel = connection.createChannel();
        this.window = new Semaphore(window);
        this.timeout = timeout;
        this.metrics = metrics;
        channel.confirmSelect();
        channel.addConfirmListener(this);
        channel.addReturnListener(this);
        channel.addShutdownListener(this);
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /** Publishes persistently and mandatorily; the future completes on the broker's ack. */
    CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties props, byte[] body) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        try {
            if (!window.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                future.completeExceptionally(new PublishException(
                        "confirm window full for " + timeout + ": the broker is not confirming"));
                return future;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.completeExceptionally(e);
            return future;
        }
        long seq = channel.getNextPublishSeqNo();
        Pending pending = new Pending(future, System.nanoTime(), props.getMessageId());
        outstanding.put(seq, pending);
        future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, error) -> {
            outstanding.remove(seq, pending);
            window.release();
        });
        try {
            channel.basicPublish(exchange, routingKey, true, props, body);
            metrics.published(TRANSPORT);
        } catch (IOException | RuntimeException e) {
            future.completeExceptionally(new PublishException("publish failed: " + e, e));
        }
        return future;
    }

    @Override
    public void handleAck(long deliveryTag, boolean multiple) {
        long now = System.nanoTime();
        for (Pending p : settled(deliveryTag, multiple)) {
            if (p.returnedBecause != null) {
                p.future.completeExceptionally(new PublishException(
                        "unroutable: no queue is bound for this event (" + p.returnedBecause + ")"));
            } else if (p.future.complete(null)) {
                metrics.confirmed(TRANSPORT, now - p.startNanos);
            }
        }
    }

    @Override
    public void handleNack(long deliveryTag, boolean multiple) {
        for (Pending p : settled(deliveryTag, multiple)) {
            metrics.nacked(TRANSPORT);
            p.future.completeExceptionally(new PublishException("nacked by the broker"));
        }
    }

    private Iterable<Pending> settled(long deliveryTag, boolean multiple) {
        if (!multiple) {
            Pending p = outstanding.remove(deliveryTag);
            return p == null ? java.util.List.of() : java.util.List.of(p);
        }
        ConcurrentNavigableMap<Long, Pending> head = outstanding.headMap(deliveryTag, true);
        java.util.List<Pending> settled = new java.util.ArrayList<>(head.values());
        head.clear();
        return settled;
    }

    @Override
    public void handleReturn(int replyCode, String replyText, String exchange, String routingKey,
                             AMQP.BasicProperties properties, byte[] body) {
        metrics.returned(TRANSPORT);
        String id = properties.getMessageId();
        for (Map.Entry<Long, Pending> e : outstanding.entrySet()) {
            if (e.getValue().messageId != null && e.getValue().messageId.equals(id)
                    && e.getValue().returnedBecause == null) {
                e.getValue().returnedBecause = replyCode + " " + replyText + ", exchange " + exchange
                        + ", routing key " + routingKey;
                return;
            }
        }
    }

    /** The channel (or its connection) went down: nothing outstanding will be confirmed, so fail it all now. */
    @Override
    public void shutdownCompleted(ShutdownSignalException cause) {
        PublishException failure = new PublishException("channel closed before the confirm: " + cause.getMessage(),
                cause);
        for (Long seq : outstanding.keySet()) {
            Pending p = outstanding.remove(seq);
            if (p != null) {
                p.future.completeExceptionally(failure);
            }
        }
    }

    void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
            // closing anyway
        }
    }

    private static final class Pending {
        final CompletableFuture<Void> future;
        final long startNanos;
        final String messageId;
        volatile String returnedBecause;

        Pending(CompletableFuture<Void> future, long startNanos, String messageId) {
            this.future = future;
            this.startNanos = startNanos;
            this.messageId = messageId;
        }
    }
}
