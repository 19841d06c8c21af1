package dev.weft.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.weft.testkit.Eventually;

/**
 * A service on the skeleton, run as a process with {@code WEFT_LOG_FORMAT=json}: each request's id is in its
 * response, in the service's own log lines, in the access log and in the server's failure line, and every line on
 * standard error is one JSON object.
 */
class RequestIdLoggingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("echo listening on /127\\.0\\.0\\.1:(\\d+)");

    @Test
    void eachRequestsIdIsInItsResponseAndInEveryLineItLogged(@TempDir Path dir) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dweft.server.host=127.0.0.1", "-Dweft.server.port=0", "-Dweft.server.accessLog=true",
                "-cp", System.getProperty("java.class.path"), EchoService.class.getName());
        Path stderr = dir.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("WEFT_") || k.equals("PORT"));
        pb.environment().put("WEFT_LOG_FORMAT", "json");
        Process p = pb.start();
        HttpResponse<String> given;
        HttpResponse<String> made;
        HttpResponse<String> failed;
        try (HttpClient client = HttpClient.newHttpClient()) {
            await(stderr, "echo started in", p);
            Matcher m = LISTENING.matcher(Files.readString(stderr));
            assertTrue(m.find(), "the port is logged: " + Files.readString(stderr));
            String base = "http://127.0.0.1:" + m.group(1);
            given = client.send(HttpRequest.newBuilder(URI.create(base + "/hello/ada"))
                    .header("X-Request-Id", "from-the-client-1").build(), HttpResponse.BodyHandlers.ofString());
            made = client.send(HttpRequest.newBuilder(URI.create(base + "/hello/bob")).build(),
                    HttpResponse.BodyHandlers.ofString());
            failed = client.send(HttpRequest.newBuilder(URI.create(base + "/fail")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the service did not stop on SIGTERM");
            }
        }
        List<String> lines = Files.readAllLines(stderr);

        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode event;
            try {
                event = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not one JSON object per line: " + line, e);
            }
            assertTrue(event.isObject() && event.has("@timestamp") && event.has("level")
                    && event.has("logger_name") && event.has("message"), line);
            events.add(event);
        }
        assertTrue(events.stream().anyMatch(e -> e.path("message").asText().startsWith("echo stopped")),
                "the shutdown line is there too: " + lines);
        for (JsonNode e : events) {
            if (e.path("message").asText().startsWith("echo ")) {
                assertFalse(e.has("request_id"), "no id outside a request: " + e);
            }
        }

        assertEquals(200, given.statusCode());
        assertEquals("from-the-client-1", given.headers().firstValue("X-Request-Id").orElseThrow());
        assertEquals(List.of("saying hello to ada", "access"), messagesOf(events, "from-the-client-1"));

        String id = made.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals(List.of("saying hello to bob", "access"), messagesOf(events, id));

        assertEquals(500, failed.statusCode());
        String failedId = failed.headers().firstValue("X-Request-Id").orElseThrow();
        JsonNode failure = events.stream().filter(e -> failedId.equals(e.path("request_id").asText())
                && e.path("level").asText().equals("ERROR")).findFirst().orElseThrow(
                        () -> new AssertionError("no ERROR line with " + failedId + ": " + lines));
        assertTrue(failure.path("stack_trace").asText().startsWith("java.lang.IllegalStateException: the handler"
                + " failed"), failure.toString());
        assertEquals(List.of("handler failed on GET /fail from", "access"), messagesOf(events, failedId));
    }

    /** The messages logged under request id {@code id}, in order; an access-log line is {@code access}. */
    private static List<String> messagesOf(List<JsonNode> events, String id) {
        return events.stream().filter(e -> id.equals(e.path("request_id").asText()))
                .map(e -> e.path("logger_name").asText().equals("dev.weft.http.access") ? "access"
                        : e.path("message").asText().replaceAll(" /127\\.0\\.0\\.1:\\d+$", ""))
                .toList();
    }

    /** Waits up to 30 s until {@code file} contains {@code text}; fails with the file if the process ends first. */
    private static void await(Path file, String text, Process p) {
        Eventually.until(Duration.ofSeconds(30), "\"" + text + "\" logged", () -> {
            String log = Files.readString(file);
            if (!log.contains(text) && !p.isAlive()) {
                fail("the service exited with " + p.exitValue() + ": " + log);
            }
            return log;
        }, log -> log.contains(text));
    }
}
