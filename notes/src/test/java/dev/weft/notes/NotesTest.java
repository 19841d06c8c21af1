package dev.weft.notes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.Jedis;

import dev.weft.config.ConfigTree;
import dev.weft.service.RunningService;
import dev.weft.service.Weft;
import dev.weft.testkit.Services;

/**
 * The notes service as its main runs it (notes.yaml, then this run's own schema and key prefix over it), on the real
 * PostgreSQL and Redis: create, read through the cache, update and delete, bad input, and readiness.
 */
class NotesTest {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String SCHEMA = "notes_test_" + RUN;
    private static final String PREFIX = "notes-test-" + RUN;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningService notes;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        Services.requirePostgres();
        Services.requireRedis();
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "PORT", "0",
                "WEFT_DB_URL", Services.postgres().url(),
                "WEFT_DB_USERNAME", Services.postgres().user(),
                "WEFT_DB_PASSWORD", Services.postgres().password(),
                "WEFT_DB_SCHEMA", SCHEMA,
                "WEFT_CACHE_REDIS_NODES", Services.redis().address(),
                "WEFT_CACHE_REDIS_KEY_PREFIX", PREFIX));
        if (!Services.redis().user().isEmpty()) {
            env.put("WEFT_CACHE_REDIS_USER", Services.redis().user());
        }
        if (!Services.redis().password().isEmpty()) {
            env.put("WEFT_CACHE_REDIS_PASSWORD", Services.redis().password());
        }
        ConfigTree config = Weft.defaults("notes.yaml").withOverrides(env, Map.of());
        notes = Weft.start("notes", config, c -> new Notes());
        notes.started().get(60, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + notes.address().getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (notes != null) {
            notes.shutdown(Duration.ofSeconds(5));
        }
        try (Connection c = Services.postgres().connect();
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        try (Jedis redis = Services.redis().client()) {
            redis.keys(PREFIX + ":*").forEach(redis::del);
        }
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double loads() {
        MeterRegistry registry = notes.modules().registry();
        return registry.find("cache.loads").tag("cache", "notes").timers().stream()
                .mapToDouble(t -> t.count()).sum();
    }

    @Test
    void createReadThroughTheCacheUpdateAndDelete() throws Exception {
        HttpResponse<String> created = send("POST", "/notes", "{\"title\":\"groceries\",\"body\":\"milk\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode note = JSON.readTree(created.body());
        long id = note.get("id").asLong();
        assertTrue(id > 0);

        double before = loads();
        assertEquals(created.body(), send("GET", "/notes/" + id, null).body());
        assertEquals(created.body(), send("GET", "/notes/" + id, null).body());
        assertEquals(before + 1, loads(), "the second read came from the cache");
        try (Jedis redis = Services.redis().client()) {
            assertEquals(1, redis.keys(PREFIX + ":notes:*").size(), "the note is in Redis too");
        }

        HttpResponse<String> updated = send("PUT", "/notes/" + id, "{\"title\":\"groceries\",\"body\":\"oat milk\"}");
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals("oat milk", JSON.readTree(send("GET", "/notes/" + id, null).body()).get("body").asText(),
                "the update invalidated the cached note");

        assertEquals(204, send("DELETE", "/notes/" + id, null).statusCode());
        assertEquals(404, send("GET", "/notes/" + id, null).statusCode());
        assertEquals(404, send("DELETE", "/notes/" + id, null).statusCode());
        assertEquals(404, send("PUT", "/notes/" + id, "{\"title\":\"x\",\"body\":\"y\"}").statusCode());
    }

    @Test
    void badInputIsA400NamingTheField() throws Exception {
        HttpResponse<String> noTitle = send("POST", "/notes", "{\"body\":\"x\"}");
        assertEquals(400, noTitle.statusCode());
        assertEquals("title: must be 1 to 200 characters\n", noTitle.body());
        assertEquals("body: must be set\n", send("POST", "/notes", "{\"title\":\"x\"}").body());
        assertEquals("body: must be JSON\n", send("POST", "/notes", "{title").body());
        HttpResponse<String> badId = send("GET", "/notes/abc", null);
        assertEquals(400, badId.statusCode());
        assertEquals("id: must be a positive integer, was \"abc\"\n", badId.body());
    }

    @Test
    void readinessChecksTheDatabaseAndRedis() throws Exception {
        HttpResponse<String> ready = send("GET", "/health/ready", null);
        assertEquals(200, ready.statusCode(), ready.body());
        JsonNode checks = JSON.readTree(ready.body()).get("checks");
        assertTrue(checks.has("database") && checks.has("redis") && checks.has("notes"), ready.body());
    }
}
