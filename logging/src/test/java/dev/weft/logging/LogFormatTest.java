package dev.weft.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The formats as a process gets them: {@link LogSample} runs in a JVM of its own with this module on its class
 * path, so Logback finds the configurator through its service file and reads the real environment.
 */
class LogFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)";

    @Test
    void jsonIsOneObjectPerLineWithTheFieldsAPipelineReads() throws Exception {
        List<String> lines = run(Map.of("WEFT_LOG_FORMAT", "json"));
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode event = JSON.readTree(line);
            assertTrue(event.isObject(), line);
            events.add(event);
        }
        assertEquals(List.of("started", "handling /notes/1 with \"quotes\", a tab\tand a\nsecond line",
                "request failed", "quietened by WEFT_LOG_LEVEL in one test", "stopped"),
                events.stream().map(e -> e.path("message").asText()).toList(), "one line per event: " + lines);
        for (JsonNode e : events) {
            OffsetDateTime.parse(e.path("@timestamp").asText());
            assertEquals("main", e.path("thread_name").asText(), e.toString());
            assertFalse(e.has("@version") || e.has("level_value"), "constant fields are left out: " + e);
        }
        JsonNode started = events.get(0);
        assertEquals("INFO", started.path("level").asText());
        assertEquals("dev.weft.sample", started.path("logger_name").asText());
        assertFalse(started.has("request_id"), "no request, no id: " + started);
        assertFalse(started.has("stack_trace"));

        JsonNode handling = events.get(1);
        assertEquals("3f2a9c0d5e6b7a8c", handling.path("request_id").asText(), "the MDC entry is a field");
        assertFalse(handling.has("stack_trace"));

        JsonNode failed = events.get(2);
        assertEquals("ERROR", failed.path("level").asText());
        assertEquals("3f2a9c0d5e6b7a8c", failed.path("request_id").asText());
        assertTrue(failed.path("stack_trace").isTextual(), "the exception is one string: " + failed);
        String trace = failed.path("stack_trace").asText();
        assertTrue(trace.startsWith("java.lang.IllegalStateException: outer"), trace);
        assertTrue(trace.contains("\tat dev.weft.logging.LogSample.main(LogSample.java:"), trace);
        assertTrue(trace.contains("Caused by: java.lang.RuntimeException: the cause"), trace);

        assertFalse(events.get(3).has("request_id"), "the MDC was cleared after the request");
    }

    @Test
    void textIsOneReadableLinePerEventWithTimeLevelLoggerAndTheRequestId() throws Exception {
        List<String> lines = run(Map.of());
        assertTrue(lines.get(0).matches(TIME + " INFO  dev\\.weft\\.sample - started"), lines.get(0));
        assertTrue(lines.get(1).matches(TIME + " INFO  dev\\.weft\\.sample \\[request_id=3f2a9c0d5e6b7a8c\\] - "
                + "handling /notes/1 with \"quotes\", a tab\tand a"), lines.get(1));
        assertEquals("second line", lines.get(2));
        assertTrue(lines.get(3).matches(TIME + " ERROR dev\\.weft\\.sample \\[request_id=3f2a9c0d5e6b7a8c\\] - "
                + "request failed"), lines.get(3));
        assertEquals("java.lang.IllegalStateException: outer", lines.get(4));
        assertTrue(lines.get(5).startsWith("\tat dev.weft.logging.LogSample.main("), lines.get(5));
        assertTrue(lines.stream().anyMatch(l -> l.equals("Caused by: java.lang.RuntimeException: the cause")),
                String.join("\n", lines));
        assertTrue(lines.getLast().matches(TIME + " INFO  dev\\.weft\\.sample - stopped"), lines.getLast());
        assertFalse(String.join("\n", lines).contains("not shown"), "DEBUG is off by default");
    }

    @Test
    void levelsAreSetForTheRootAndPerLogger() throws Exception {
        String out = String.join("\n", run(Map.of("WEFT_LOG_LEVEL", " debug , com.zaxxer.hikari=warn")));
        assertTrue(out.contains("DEBUG dev.weft.sample [request_id=3f2a9c0d5e6b7a8c] - not shown"), out);
        assertFalse(out.contains("quietened"), out);
    }

    @Test
    void aValueItCannotUseIsNamedAndTheDefaultApplies() throws Exception {
        List<String> lines = run(Map.of("WEFT_LOG_FORMAT", "xml", "WEFT_LOG_LEVEL", "verbose,dev.weft=loud"));
        assertEquals(List.of(
                "weft-logging: WEFT_LOG_FORMAT: must be text or json, was \"xml\"; logging as text",
                "weft-logging: WEFT_LOG_LEVEL: \"verbose\" is not a level (trace, debug, info, warn, error, off) or"
                        + " logger=level; ignored",
                "weft-logging: WEFT_LOG_LEVEL: \"dev.weft=loud\" is not a level (trace, debug, info, warn, error,"
                        + " off) or logger=level; ignored"), lines.subList(0, 3));
        assertTrue(lines.get(3).matches(TIME + " INFO  dev\\.weft\\.sample - started"), lines.get(3));
    }

    @Test
    void aConfigurationFileOfTheUsersOwnWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("custom.xml");
        Files.writeString(file, """
                <configuration>
                  <appender name="err" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>CUSTOM %msg%n</pattern></encoder>
                  </appender>
                  <root level="info"><appender-ref ref="err"/></root>
                </configuration>
                """);
        List<String> lines = run(Map.of("WEFT_LOG_FORMAT", "json"), "-Dlogback.configurationFile=" + file);
        assertEquals("CUSTOM started", lines.get(0));
    }

    /** Runs {@link LogSample} with {@code env} (and no other WEFT_LOG_* variable); its standard error, by line. */
    private static List<String> run(Map<String, String> env, String... jvmOptions) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LogSample.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("WEFT_LOG_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the sample exits");
        assertEquals(0, p.exitValue(), err);
        return err.lines().toList();
    }
}
