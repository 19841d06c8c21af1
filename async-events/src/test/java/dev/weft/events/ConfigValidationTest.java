package dev.weft.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.weft.config.ConfigException;
import dev.weft.config.ConfigTree;
import dev.weft.config.Problems;
import dev.weft.events.jdbc.EventTables;
import dev.weft.events.outbox.OutboxConfig;
import dev.weft.events.rabbit.RabbitConfig;

/** Each record's {@code validate}, on records built in code and read from a tree. */
class ConfigValidationTest {

    @Test
    void defaultsAreValid() {
        Problems problems = new Problems();
        ConsumerConfig.defaults().validate("events.consumer", problems);
        OutboxConfig.defaults().validate("events.outbox", problems);
        RabbitConfig.defaults().validate("events.rabbitmq", problems);
        EventTables.defaults().validate("events.outbox.tables", problems);
        assertEquals(List.of(), problems.list());
    }

    @Test
    void consumerConfigListsEveryProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> Problems.requireValid("events.consumer",
                new ConsumerConfig(0, List.of(Duration.ofSeconds(1), Duration.ZERO), 0, Duration.ZERO),
                ConsumerConfig::validate));
        assertEquals(List.of(
                "events.consumer.prefetch: must be between 1 and 65535, was 0",
                "events.consumer.retryDelays: must each be between 1ms and 576h, was [1s, 0s]",
                "events.consumer.deliveryLimit: must be at least 1, was 0",
                "events.consumer.stopTimeout: must be positive, was 0s"), e.problems());
    }

    @Test
    void aRetryDelayBeyondTheQueueTtlLimitIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigTree.parse("t.yaml",
                "retryDelays: [1s, 600h]\n").read(ConsumerConfig::from));
        assertEquals(List.of("retryDelays: must each be between 1ms and 576h, was [1s, 600h] (t.yaml:1:1)"),
                e.problems());
    }

    @Test
    void outboxConfigListsEveryProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigTree.of(Map.of(
                "tables", Map.of("outbox", "bad name", "processedEvents", "x"),
                "batchSize", 0,
                "lease", Duration.ofSeconds(1))).read(OutboxConfig::from));
        List<String> p = e.problems();
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("tables.outbox:"), p.toString());
        assertTrue(p.get(1).startsWith("batchSize:"), p.toString());
        assertEquals("lease: must be longer than publishTimeout (10s), was 1s", p.get(2));
    }

    @Test
    void theIdlePollIsNoShorterThanThePoll() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigTree.parse("t.yaml", """
                pollInterval: 2s
                idlePollInterval: 500ms
                """).read(OutboxConfig::from));
        assertEquals(List.of("idlePollInterval: must be at least pollInterval (2s), was 500ms (t.yaml:2:1)"),
                e.problems());
    }

    @Test
    void outboxConfigBuiltInCodeIsValidatedWithItsTables() {
        OutboxConfig d = OutboxConfig.defaults();
        ConfigException e = assertThrows(ConfigException.class, () -> Problems.requireValid("events.outbox",
                new OutboxConfig(new EventTables("weft_outbox", "WEFT_OUTBOX"), d.batchSize(), d.pollInterval(),
                        d.idlePollInterval(), d.publishTimeout(), d.publishTimeout(), d.retryBackoff(),
                        d.sentRetention()),
                OutboxConfig::validate));
        assertEquals(List.of(
                "events.outbox.tables.processedEvents: must differ from outbox, was \"WEFT_OUTBOX\"",
                "events.outbox.lease: must be longer than events.outbox.publishTimeout (10s), was 10s"),
                e.problems());
    }

    @Test
    void anOutboxNameLeavesRoomForItsHistoryTableAndIndex() {
        Problems problems = new Problems();
        new EventTables("o".repeat(49), "processed").validate("events.outbox.tables", problems);
        new EventTables("o".repeat(48), "processed").validate("other", problems);
        assertEquals(List.of("events.outbox.tables.outbox: must be at most 48 characters (the migrations' history"
                + " table is named <outbox>_schema_history), was \"" + "o".repeat(49) + "\""), problems.list());
    }

    @Test
    void rabbitConfigListsEveryProblem() {
        // RabbitConfig.from reads without validating (EventsConfig checks the section in RabbitMQ mode only).
        ConfigException e = assertThrows(ConfigException.class, () -> Problems.requireValid("", ConfigTree.of(Map.of(
                "host", "",
                "port", 0,
                "exchange", "bad exchange",
                "publishChannels", 0,
                "confirmWindow", 0,
                "confirmTimeout", Duration.ZERO)).read(RabbitConfig::from), RabbitConfig::validate));
        assertEquals(List.of(
                "host: must be set",
                "port: must be between 1 and 65535, was 0",
                "exchange: must be 1 to 200 letters, digits, '.', '_' or '-', was \"bad exchange\"",
                "publishChannels: must be between 1 and 256, was 0",
                "confirmWindow: must be between 1 and 100000, was 0",
                "confirmTimeout: must be positive, was 0s"), e.problems());
    }

    @Test
    void aSubscriptionNeedsAUsableGroupAndAPattern() {
        ConfigException e = assertThrows(ConfigException.class, () -> Configs.subscription("bad group", List.of()));
        assertEquals(List.of(
                "group: must be 1 to 200 letters, digits, '.', '_' or '-', was \"bad group\"",
                "typePatterns: must name at least one pattern, was []"), e.problems());
    }
}
