package dev.weft.events.rabbit;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;

import dev.weft.events.ParkingLot;

/**
 * The parking queues {@code <exchange>.<group>.parking}. Replay takes one message at a time with {@code basic.get}
 * (manual ack), republishes it with a confirm to the group's own queue through the dead-letter exchange, with its
 * attempt count removed, and acks it only after the confirm: a replay interrupted at any point leaves the message
 * parked or delivered, possibly both, never neither.
 */
final class RabbitParkingLot implements ParkingLot {
    private final RabbitConnector connector;
    private final RabbitTopology topology;
    private final RabbitPublisher publisher;
    private final RabbitConfig config;

    RabbitParkingLot(RabbitConnector connector, RabbitTopology topology, RabbitPublisher publisher,
                     RabbitConfig config) {
        this.connector = connector;
        this.topology = topology;
        this.publisher = publisher;
        this.config = config;
    }

    @Override
    public long size(String group) throws Exception {
        try (Channel ch = connector.get().createChannel()) {
            return ch.messageCount(topology.parkingQueue(group));
        }
    }

    @Override
    public int replay(String group, int max) throws Exception {
        int moved = 0;
        try (Channel ch = connector.get().createChannel()) {
            while (moved < max) {
                GetResponse response = ch.basicGet(topology.parkingQueue(group), false);
                if (response == null) {
                    break;
                }
                AMQP.BasicProperties props = response.getProps();
                Map<String, Object> headers = props.getHeaders() == null ? new HashMap<>()
                        : new HashMap<>(props.getHeaders());
                headers.remove(RabbitConsumer.ATTEMPT_HEADER);
                headers.put("x-weft-replayed", Boolean.TRUE);
                AMQP.BasicProperties copy = props.builder().headers(headers).build();
                try {
                    publisher.publish(topology.deadLetterExchange(), topology.queue(group), copy, response.getBody())
                            .get(config.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    ch.basicNack(response.getEnvelope().getDeliveryTag(), false, true);
                    throw new IOException("replay of " + props.getMessageId() + " to " + topology.queue(group)
                            + " failed; it stays parked: " + e, e);
                }
                ch.basicAck(response.getEnvelope().getDeliveryTag(), false);
                moved++;
            }
        }
        return moved;
    }
}
