package dev.weft.shop;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import dev.weft.config.ConfigTree;
import dev.weft.http.ServeMux;
import dev.weft.service.Modules;
import dev.weft.service.RunningService;
import dev.weft.service.Service;
import dev.weft.service.Weft;
import dev.weft.shop.web.Json;

/**
 * The shop as {@code Main} runs it (the skeleton, its built-in defaults, the given settings over them) on 127.0.0.1
 * at an ephemeral port, and a JDK HttpClient to talk to it.
 */
final class RunningShop implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final RunningService service;
    private final String baseUrl;

    /** A response: its status, its headers and its body parsed as JSON (null when empty or not JSON). */
    record Reply(int status, HttpResponse<String> raw, JsonNode json) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    /** A shop with {@code settings} over its defaults, started. */
    RunningShop(Map<String, ?> settings) throws Exception {
        this(settings, null);
    }

    /**
     * A shop whose {@code Shop.start} waits for {@code gate} (null: does not wait); the server is up either way.
     * Returns once started, unless gated.
     */
    RunningShop(Map<String, ?> settings, CountDownLatch gate) throws Exception {
        ConfigTree config = ConfigTree.of(Map.of("server", Map.of("port", 0))).over(
                ConfigTree.of(settings).over(ShopDefaults.tree()));
        service = Weft.start("shop", config, tree -> gated(new Shop(ShopConfig.from(tree.section("shop"))), gate));
        baseUrl = "http://127.0.0.1:" + service.address().getPort();
        if (gate == null) {
            service.started().get(60, TimeUnit.SECONDS);
        }
    }

    private static Service gated(Shop shop, CountDownLatch gate) {
        if (gate == null) {
            return shop;
        }
        return new Service() {
            @Override
            public void routesWhileStarting(ServeMux mux) {
                shop.routesWhileStarting(mux);
            }

            @Override
            public void start(Modules modules, ServeMux mux) throws Exception {
                gate.await();
                shop.start(modules, mux);
            }

            @Override
            public void stop() {
                shop.stop();
            }
        };
    }

    RunningService service() {
        return service;
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
        service.shutdown(Duration.ofSeconds(5));
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
