package dev.weft.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.weft.events.jdbc.EventTables;
import dev.weft.events.outbox.OutboxConfig;
import dev.weft.events.rabbit.RabbitConfig;
import dev.weft.http.ConfigException;

class ConfigValidationTest {

    @Test
    void defaultsAreValid() {
        ConsumerConfig.defaults().validate("consumer.");
        OutboxConfig.defaults().validate("outbox.");
        RabbitConfig.defaults().validate("rabbit.");
        EventTables.defaults().validate("tables.");
    }

    @Test
    void consumerConfigListsEveryProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConsumerConfig(0,
                List.of(Duration.ofSeconds(1), Duration.ZERO), 0, Duration.ZERO).validate("consumer."));
        assertEquals(List.of(
                "consumer.prefetch: must be between 1 and 65535, was 0",
                "consumer.retryDelays[1]: must be between 1 ms and 24 days, got PT0S",
                "consumer.deliveryLimit: must be at least 1, was 0",
                "consumer.stopTimeout: must be positive, was PT0S"), e.problems());
    }

    @Test
    void outboxConfigListsEveryProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> OutboxConfig.defaults()
                .withTables(new EventTables("bad name", "x"))
                .withBatchSize(0)
                .withLease(Duration.ofSeconds(1))
                .validate("outbox."));
        List<String> p = e.problems();
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("outbox.tables.outbox:"), p.toString());
        assertTrue(p.get(1).startsWith("outbox.batchSize:"), p.toString());
        assertTrue(p.get(2).startsWith("outbox.lease: must be longer than publishTimeout"), p.toString());
    }

    @Test
    void rabbitConfigListsEveryProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> RabbitConfig.defaults()
                .withAddress("", 0)
                .withExchange("bad exchange")
                .withPublishing(0, 0, Duration.ZERO)
                .validate("rabbit."));
        assertEquals(List.of(
                "rabbit.host: required",
                "rabbit.port: must be between 1 and 65535, was 0",
                "rabbit.exchange: must be 1 to 200 letters, digits, '.', '_' or '-', was \"bad exchange\"",
                "rabbit.publishChannels: must be between 1 and 256, was 0",
                "rabbit.confirmWindow: must be between 1 and 100000, was 0",
                "rabbit.confirmTimeout: must be positive, was PT0S"), e.problems());
    }
}
