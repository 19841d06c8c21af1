package dev.weft.shop;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.weft.http.ServerConfig;
import dev.weft.http.config.ConfigFile;
import dev.weft.shop.web.Json;

/**
 * A storefront served as the shop serves it (a {@link ShopServer}, with the health probes) on 127.0.0.1 at an
 * ephemeral port, and a JDK HttpClient to talk to it.
 */
final class RunningShop implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Storefront storefront;
    private final ShopServer server;
    private final String baseUrl;

    /** A response: its status, its headers and its body parsed as JSON (null when empty or not JSON). */
    record Reply(int status, HttpResponse<String> raw, JsonNode json) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    RunningShop(Map<String, ?> configTree) throws Exception {
        this(configTree, true);
    }

    /** A shop whose storefront is opened now, or, with {@code open} false, left for {@link #storefront()}. */
    RunningShop(Map<String, ?> configTree, boolean open) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        storefront = new Storefront(config(configTree), registry);
        if (open) {
            storefront.open();
        }
        server = new ShopServer(ServerConfig.defaults().toBuilder().host("127.0.0.1").port(0).build(), registry,
                List.of(storefront)).start();
        baseUrl = "http://127.0.0.1:" + server.address().getPort();
    }

    /** The storefront's configuration from {@code tree}, as the shop would read it from a JSON file. */
    static StorefrontConfig config(Map<String, ?> tree) throws IOException {
        ConfigFile file = ConfigFile.parse(Json.MAPPER.writeValueAsString(tree), "test.json", Map.of());
        StorefrontConfig config = StorefrontConfig.from(file);
        file.throwIfProblems();
        return config;
    }

    Storefront storefront() {
        return storefront;
    }

    Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    Reply put(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).PUT(body(json)));
    }

    Reply post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(body(json)));
    }

    CompletableFuture<Reply> postAsync(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(body(json))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20)).build();
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(RunningShop::reply);
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(5));
        storefront.close();
    }

    private static HttpRequest.BodyPublisher body(String json) {
        return HttpRequest.BodyPublishers.ofString(json);
    }

    private static Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest r = request.header("Content-Type", "application/json").timeout(Duration.ofSeconds(20)).build();
        return reply(CLIENT.send(r, HttpResponse.BodyHandlers.ofString()));
    }

    private static Reply reply(HttpResponse<String> response) {
        JsonNode json = null;
        if (response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            try {
                json = Json.MAPPER.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("malformed JSON from the shop: " + response.body(), e);
            }
        }
        return new Reply(response.statusCode(), response, json);
    }
}
