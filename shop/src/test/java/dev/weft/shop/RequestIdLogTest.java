package dev.weft.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.weft.testkit.Eventually;

/**
 * The shop as a process with JSON logs and its access log on: a request's id is in its response and in the line the
 * shop logged for it, whether the client sent the id or the shop made it, and every line the shop wrote is one JSON
 * object.
 */
class RequestIdLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("shop listening on .*:(\\d+)\"");

    @TempDir
    Path dir;

    @Test
    void theShopsLinesForARequestCarryItsId() throws Exception {
        Path output = dir.resolve("shop.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("WEFT_") || k.equals("PORT"));
        pb.environment().putAll(Map.of("PORT", "0", "WEFT_LOG_FORMAT", "json",
                "WEFT_SERVER_ACCESS_LOG", "true", "WEFT_SHOP_SEED_PRODUCTS", "10"));
        Process p = pb.start();
        HttpResponse<String> given;
        HttpResponse<String> made;
        try (HttpClient client = HttpClient.newHttpClient()) {
            Matcher m = await(output, LISTENING, p);
            String base = "http://127.0.0.1:" + m.group(1);
            await(output, Pattern.compile("shop started in"), p);
            given = client.send(HttpRequest.newBuilder(URI.create(base + "/products/3"))
                    .header("X-Request-Id", "checkout-7f3a").build(), HttpResponse.BodyHandlers.ofString());
            made = client.send(HttpRequest.newBuilder(URI.create(base + "/plaintext")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the shop did not stop on SIGTERM");
            }
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            try {
                lines.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("not a JSON object: " + line, e);
            }
        }
        assertEquals(200, given.statusCode(), given.body());
        assertEquals("checkout-7f3a", given.headers().firstValue("X-Request-Id").orElseThrow());
        assertEquals(List.of("127.0.0.1 \"GET /products/3 HTTP/1.1\" 200"), accessLines(lines, "checkout-7f3a"));

        String id = made.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals(List.of("127.0.0.1 \"GET /plaintext HTTP/1.1\" 200"), accessLines(lines, id));
    }

    /** The access-log lines logged under {@code id}, cut after the status. */
    private static List<String> accessLines(List<JsonNode> lines, String id) {
        return lines.stream().filter(l -> id.equals(l.path("request_id").asText())
                        && l.path("logger_name").asText().equals("dev.weft.http.access"))
                .map(l -> l.path("message").asText().replaceAll("(\" \\d{3}) .*", "$1")).toList();
    }

    private static Matcher await(Path output, Pattern pattern, Process p) {
        String text = Eventually.until(Duration.ofSeconds(60), "a line matching " + pattern, () -> {
            String now = Files.readString(output, StandardCharsets.UTF_8);
            if (!pattern.matcher(now).find() && !p.isAlive()) {
                fail("the shop exited with " + p.exitValue() + ":\n" + now);
            }
            return now;
        }, now -> pattern.matcher(now).find());
        Matcher m = pattern.matcher(text);
        assertTrue(m.find());
        return m;
    }
}
