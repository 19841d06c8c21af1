package dev.weft.events.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.weft.config.ConfigException;
import dev.weft.config.ConfigTree;
import dev.weft.events.ConsumerConfig;
import dev.weft.events.jdbc.EventTables;
import dev.weft.events.outbox.OutboxConfig;
import dev.weft.events.rabbit.RabbitConfig;
import dev.weft.testkit.RecordReading;
import dev.weft.testkit.SettingsReference;

class EventsConfigTest {
    /** Every setting of the section, none at its default, as a file or an override writes it. */
    private static final Map<String, String> EVERY_SETTING = every();

    private static final EventsConfig EXPECTED = new EventsConfig(EventsConfig.Mode.RABBITMQ,
            new RabbitConfig("mq.internal", 5673, "shop", "secret", "/shop", "shop.events", "shop", 8, 200,
                    Duration.ofSeconds(20), Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(10)),
            new ConsumerConfig(50, List.of(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1)),
                    7, Duration.ofSeconds(20)),
            new OutboxConfig(new EventTables("shop_outbox", "shop_processed_events"), 250, Duration.ofMillis(50),
                    Duration.ofMillis(800), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(2),
                    Duration.ofMinutes(30)));

    private static Map<String, String> every() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("events.mode", "rabbitmq");
        s.put("events.rabbitmq.host", "mq.internal");
        s.put("events.rabbitmq.port", "5673");
        s.put("events.rabbitmq.username", "shop");
        s.put("events.rabbitmq.password", "secret");
        s.put("events.rabbitmq.virtualHost", "/shop");
        s.put("events.rabbitmq.exchange", "shop.events");
        s.put("events.rabbitmq.connectionName", "shop");
        s.put("events.rabbitmq.publishChannels", "8");
        s.put("events.rabbitmq.confirmWindow", "200");
        s.put("events.rabbitmq.confirmTimeout", "20s");
        s.put("events.rabbitmq.connectTimeout", "3s");
        s.put("events.rabbitmq.recoveryInterval", "1s");
        s.put("events.rabbitmq.heartbeat", "10s");
        s.put("events.consumer.prefetch", "50");
        s.put("events.consumer.retryDelays", "1s,10s,1m");
        s.put("events.consumer.deliveryLimit", "7");
        s.put("events.consumer.stopTimeout", "20s");
        s.put("events.outbox.tables.outbox", "shop_outbox");
        s.put("events.outbox.tables.processedEvents", "shop_processed_events");
        s.put("events.outbox.batchSize", "250");
        s.put("events.outbox.pollInterval", "50ms");
        s.put("events.outbox.idlePollInterval", "800ms");
        s.put("events.outbox.publishTimeout", "5s");
        s.put("events.outbox.lease", "30s");
        s.put("events.outbox.retryBackoff", "2s");
        s.put("events.outbox.sentRetention", "30m");
        return s;
    }

    private static EventsConfig read(ConfigTree tree) {
        return tree.read("events", EventsConfig::from);
    }

    private static ConfigException problems(ConfigTree tree) {
        return assertThrows(ConfigException.class, () -> read(tree));
    }

    @Test
    void anAbsentSectionIsTheDefaults() {
        assertEquals(EventsConfig.defaults(), read(ConfigTree.empty()));
        assertEquals(EventsConfig.defaults(), ConfigTree.empty().read(EventsConfig::from));
    }

    @Test
    void readsEverySettingFromTheFile() {
        ConfigTree tree = ConfigTree.parse("weft.yaml", """
                events:
                  mode: rabbitmq
                  rabbitmq:
                    host: mq.internal
                    port: 5673
                    username: shop
                    password: secret
                    virtualHost: /shop
                    exchange: shop.events
                    connectionName: shop
                    publishChannels: 8
                    confirmWindow: 200
                    confirmTimeout: 20s
                    connectTimeout: 3s
                    recoveryInterval: 1s
                    heartbeat: 10s
                  consumer:
                    prefetch: 50
                    retryDelays: [1s, 10s, 1m]
                    deliveryLimit: 7
                    stopTimeout: 20s
                  outbox:
                    tables:
                      outbox: shop_outbox
                      processedEvents: shop_processed_events
                    batchSize: 250
                    pollInterval: 50ms
                    idlePollInterval: 800ms
                    publishTimeout: 5s
                    lease: 30s
                    retryBackoff: 2s
                    sentRetention: 30m
                """);
        assertEquals(EXPECTED, read(tree));
        assertEquals(EVERY_SETTING.keySet(), tree.settingsRead().stream().map(ConfigTree.Setting::path)
                .collect(Collectors.toSet()), "the test names every setting the section reads");
    }

    @Test
    void readsEverySettingFromTheEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        EVERY_SETTING.forEach((path, value) -> env.put(ConfigTree.envName(path), value));
        assertEquals("1s,10s,1m", env.get("WEFT_EVENTS_CONSUMER_RETRY_DELAYS"));
        assertEquals("shop_processed_events", env.get("WEFT_EVENTS_OUTBOX_TABLES_PROCESSED_EVENTS"));
        assertEquals(EXPECTED, read(ConfigTree.empty().withOverrides(env, Map.of())));
    }

    @Test
    void readsEverySettingFromSystemProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        EVERY_SETTING.forEach((path, value) -> properties.put(ConfigTree.propertyName(path), value));
        assertEquals(EXPECTED, read(ConfigTree.empty().withOverrides(Map.of(), properties)));
    }

    @Test
    void retryDelaysFromAListInTheFileOrACommaSeparatedVariable() {
        ConfigTree file = ConfigTree.parse("weft.yaml", "events:\n  consumer:\n    retryDelays: [500ms, 5s]\n");
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(5)), read(file).consumer().retryDelays());

        ConfigTree block = ConfigTree.parse("weft.yaml", "events:\n  consumer:\n    retryDelays:\n      - 2s\n");
        assertEquals(List.of(Duration.ofSeconds(2)), read(block).consumer().retryDelays());

        ConfigTree none = ConfigTree.parse("weft.yaml", "events:\n  consumer:\n    retryDelays: []\n");
        assertEquals(List.of(), read(none).consumer().retryDelays(), "an empty list parks at the first failure");

        ConfigTree env = file.withOverrides(Map.of("WEFT_EVENTS_CONSUMER_RETRY_DELAYS", "1s, 10s"), Map.of());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(10)), read(env).consumer().retryDelays());
    }

    @Test
    void aBadRetryDelayNamesTheSettingAndWhereItCameFrom() {
        ConfigException e = problems(ConfigTree.parse("weft.yaml",
                "events:\n  consumer:\n    retryDelays: [1s, 10]\n"));
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("events.consumer.retryDelays: must be a list of durations; item 2 10: missing unit"),
                e.problems().toString());
        assertTrue(e.problems().get(0).endsWith("(weft.yaml:3:5)"), e.problems().toString());

        ConfigException fromEnv = problems(ConfigTree.empty().withOverrides(
                Map.of("WEFT_EVENTS_CONSUMER_RETRY_DELAYS", "1s,0s"), Map.of()));
        assertEquals(List.of("events.consumer.retryDelays: must each be between 1ms and 576h, was [1s, 0s]"
                + " (from WEFT_EVENTS_CONSUMER_RETRY_DELAYS)"), fromEnv.problems());
    }

    @Test
    void problemsNameTheirSettingsPathsAndOrigins() {
        ConfigException e = problems(ConfigTree.parse("weft.yaml", """
                events:
                  mode: rabbitmq
                  rabbitmq:
                    port: 0
                  consumer:
                    prefetch: 0
                  outbox:
                    lease: 5s
                    tables:
                      outbox: bad-name
                """).withOverrides(Map.of("WEFT_EVENTS_OUTBOX_BATCH_SIZE", "0"), Map.of()));
        assertEquals(List.of(
                "events.consumer.prefetch: must be between 1 and 65535, was 0 (weft.yaml:6:5)",
                "events.outbox.tables.outbox: must be 1 to 63 letters, digits or '_', not starting with a digit,"
                        + " was \"bad-name\" (weft.yaml:10:7)",
                "events.outbox.batchSize: must be between 1 and 10000, was 0 (from WEFT_EVENTS_OUTBOX_BATCH_SIZE)",
                "events.outbox.lease: must be longer than events.outbox.publishTimeout (10s), was 5s (weft.yaml:8:5)",
                "events.rabbitmq.port: must be between 1 and 65535, was 0 (weft.yaml:4:5)"), e.problems());
    }

    @Test
    void theRabbitmqSectionIsReadInEveryModeButValidatedOnlyInRabbitmqMode() {
        String yaml = "events:\n  mode: %s\n  rabbitmq:\n    host: ''\n    port: 0\n";
        EventsConfig inProcess = read(ConfigTree.parse("weft.yaml", yaml.formatted("inprocess")));
        assertEquals(0, inProcess.rabbitmq().port(), "read, and known, though not used");

        ConfigException e = problems(ConfigTree.parse("weft.yaml", yaml.formatted("rabbitmq")));
        assertEquals(List.of(
                "events.rabbitmq.host: must be set (weft.yaml:4:5)",
                "events.rabbitmq.port: must be between 1 and 65535, was 0 (weft.yaml:5:5)"), e.problems());

        ConfigException wrongType = problems(ConfigTree.parse("weft.yaml",
                "events:\n  mode: inprocess\n  rabbitmq:\n    port: amqp\n"));
        assertEquals(List.of("events.rabbitmq.port: must be an integer, was \"amqp\" (weft.yaml:4:5)"),
                wrongType.problems(), "a value of the wrong type is wrong in every mode");
    }

    @Test
    void unknownSettingsAreReportedWithWhatIsKnown() {
        ConfigException e = problems(ConfigTree.parse("weft.yaml", """
                events:
                  mode: inprocess
                  prefetch: 10
                  rabbitmq:
                    hots: mq.internal
                  consumer:
                    retryDelay: 1s
                  outbox:
                    tables:
                      outbx: shop_outbox
                """).withOverrides(Map.of("WEFT_EVENTS_OUTBOX_BATCHSIZE", "10"), Map.of()));
        List<String> p = e.problems();
        assertEquals(5, p.size(), p.toString());
        assertEquals("events.prefetch: unknown setting (weft.yaml:3:3); known settings: mode, rabbitmq, consumer,"
                + " outbox", p.get(0));
        assertTrue(p.get(1).startsWith("events.rabbitmq.hots: unknown setting (weft.yaml:5:5); known"
                + " settings: host, port,"), p.get(1));
        assertTrue(p.get(2).startsWith("events.consumer.retryDelay: unknown setting (weft.yaml:7:5);"
                + " known settings: prefetch, retryDelays,"), p.get(2));
        assertEquals("events.outbox.tables.outbx: unknown setting (weft.yaml:10:7); known settings: outbox,"
                + " processedEvents", p.get(3));
        assertTrue(p.get(4).startsWith("WEFT_EVENTS_OUTBOX_BATCHSIZE: environment variable for no setting"
                + " under events.outbox;"), p.get(4));
    }

    /**
     * The module README's block "every default, in file form" reads as the defaults and sets every setting the
     * section reads (the reasons are in the service README, which the service's SettingsReferenceTest checks).
     */
    @Test
    void theReadmeBlockIsEveryDefault() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("```yaml\n", readme.indexOf("## Configuration")) + "```yaml\n".length();
        ConfigTree tree = ConfigTree.parse("README.yaml", readme.substring(start, readme.indexOf("```", start)));
        assertEquals(EventsConfig.defaults(), read(tree));
        SettingsReference.assertFileSetsEverySettingRead(tree);
    }

    @Test
    void aModeThatIsNotATransportIsAProblem() {
        ConfigException e = problems(ConfigTree.parse("weft.yaml", "events:\n  mode: kafka\n"));
        assertEquals(List.of("events.mode: must be one of inprocess, rabbitmq, off, was \"kafka\" (weft.yaml:2:3)"),
                e.problems());
    }

    @Test
    void readsLikeItsComponents() {
        RecordReading.assertSpeltOutAsItsComponents(EventsConfig.class, EventsConfig.defaults(), EventsConfig::from);
        RecordReading.assertSpeltOutAsItsComponents(RabbitConfig.class, RabbitConfig.defaults(), RabbitConfig::from);
        RecordReading.assertSpeltOutAsItsComponents(ConsumerConfig.class, ConsumerConfig.defaults(),
                ConsumerConfig::from);
        RecordReading.assertSpeltOutAsItsComponents(OutboxConfig.class, OutboxConfig.defaults(), OutboxConfig::from);
        RecordReading.assertSpeltOutAsItsComponents(EventTables.class, EventTables.defaults(), EventTables::from);
    }
}
