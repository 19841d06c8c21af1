package dev.weft.events.rabbit;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;

import dev.weft.events.ConsumerConfig;

/**
 * The exchanges and queues, declared in code (idempotently: declaring what exists is a no-op). For exchange
 * {@code E} and consumer group {@code G}:
 *
 * <pre>
 * E                       topic exchange; producers publish with routing key = event type
 * E.dlx                   direct exchange for dead letters, retries and replays; routing key = target queue name
 * E.G                     quorum queue, bound to E with the group's type patterns and to E.dlx with key E.G;
 *                         x-delivery-limit, dead-letters to E.dlx / E.G.parking
 * E.G.retry.&lt;ms&gt;          one quorum queue per retry delay, x-message-ttl = delay, dead-letters back to E.G
 * E.G.parking             quorum queue without consumers: events that failed every retry, until replayed
 * </pre>
 *
 * <p>Why per-delay queues: a TTL on a whole queue expires messages in order, so every message waits exactly its
 * delay; a per-message TTL in one shared queue would let a long delay at the head hold back shorter ones. Quorum
 * queues because they are replicated and durable, and because they count redeliveries, which is what
 * {@code x-delivery-limit} needs to stop a message that crashes its consumer from looping forever.
 *
 * <p>Changing a queue's arguments (the delivery limit) on an existing queue makes the declaration fail with
 * PRECONDITION_FAILED: delete the queue or use a broker policy. A new retry delay simply adds a queue.
 */
public final class RabbitTopology {
    private final String exchange;

    public RabbitTopology(String exchange) {
        this.exchange = exchange;
    }

    public String exchange() {
        return exchange;
    }

    public String deadLetterExchange() {
        return exchange + ".dlx";
    }

    public String queue(String group) {
        return exchange + "." + group;
    }

    public String parkingQueue(String group) {
        return queue(group) + ".parking";
    }

    public String retryQueue(String group, Duration delay) {
        return queue(group) + ".retry." + delay.toMillis();
    }

    /** Declares the two exchanges. */
    public void declareExchanges(Channel channel) throws IOException {
        channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare(deadLetterExchange(), BuiltinExchangeType.DIRECT, true);
    }

    /** Declares the exchanges and every queue and binding of {@code group}. */
    public void declareGroup(Channel channel, String group, List<String> typePatterns, ConsumerConfig config)
            throws IOException {
        declareExchanges(channel);
        String dlx = deadLetterExchange();

        String parking = parkingQueue(group);
        channel.queueDeclare(parking, true, false, false, Map.of("x-queue-type", "quorum"));
        channel.queueBind(parking, dlx, parking);

        Map<String, Object> main = new HashMap<>();
        main.put("x-queue-type", "quorum");
        main.put("x-delivery-limit", config.deliveryLimit());
        main.put("x-dead-letter-exchange", dlx);
        main.put("x-dead-letter-routing-key", parking);
        String queue = queue(group);
        channel.queueDeclare(queue, true, false, false, main);
        channel.queueBind(queue, dlx, queue);
        for (String pattern : typePatterns) {
            channel.queueBind(queue, exchange, pattern);
        }

        for (Duration delay : config.retryDelays()) {
            String retry = retryQueue(group, delay);
            channel.queueDeclare(retry, true, false, false, Map.of(
                    "x-queue-type", "quorum",
                    "x-message-ttl", delay.toMillis(),
                    "x-dead-letter-exchange", dlx,
                    "x-dead-letter-routing-key", queue));
            channel.queueBind(retry, dlx, retry);
        }
    }

    /** Deletes the group's queues (its events with them): for tests and for retiring a group. */
    public void deleteGroup(Channel channel, String group, ConsumerConfig config) throws IOException {
        channel.queueDelete(queue(group));
        channel.queueDelete(parkingQueue(group));
        for (Duration delay : config.retryDelays()) {
            channel.queueDelete(retryQueue(group, delay));
        }
    }

    /** Deletes the two exchanges. */
    public void deleteExchanges(Channel channel) throws IOException {
        channel.exchangeDelete(exchange);
        channel.exchangeDelete(deadLetterExchange());
    }
}
