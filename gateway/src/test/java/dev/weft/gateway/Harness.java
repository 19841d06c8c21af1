package dev.weft.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import dev.weft.config.ConfigTree;
import dev.weft.gateway.config.GatewayConfig;
import dev.weft.http.Handler;
import dev.weft.http.RequestId;
import dev.weft.http.Server;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Gateways served by real Weft servers on loopback, with upstreams, a client and the meters; closed as a whole. */
final class Harness implements AutoCloseable {
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Upstreams upstreams = new Upstreams();
    private final List<Gateway> gateways = new ArrayList<>();
    private final List<Server> fronts = new ArrayList<>();

    /** The {@code gateway} section {@code yaml}, read and validated as the standalone gateway reads its file. */
    static GatewayConfig config(String yaml) {
        return ConfigTree.parse("gateway.yaml", yaml).read(GatewayConfig::from);
    }

    /** Starts a gateway for {@code config} behind a Weft server with request ids, as {@link Main}; its base URL. */
    String start(GatewayConfig config) throws IOException {
        return start(config, true);
    }

    /** Starts a gateway for {@code config}, with or without {@link RequestId#middleware()} in front; its base URL. */
    String start(GatewayConfig config, boolean requestIds) throws IOException {
        return start(new Gateway(config, registry), requestIds);
    }

    /** Starts a gateway for {@code config} whose ejections and local buckets run on {@code ejectionClock}; its base URL. */
    String start(GatewayConfig config, LongSupplier ejectionClock) throws IOException {
        return start(new Gateway(config, registry, dev.weft.gateway.discovery.Resolver.SYSTEM, ejectionClock), true);
    }

    private String start(Gateway gateway, boolean requestIds) throws IOException {
        gateways.add(gateway);
        Handler handler = requestIds ? RequestId.middleware().wrap(gateway.handler()) : gateway.handler();
        Server front = new Server(Upstreams.serverConfig(0), handler).start();
        fronts.add(front);
        return "http://127.0.0.1:" + front.address().getPort();
    }

    /** Starts a gateway for the {@code gateway} section {@code yaml}; returns its base URL. */
    String start(String yaml) throws IOException {
        return start(config(yaml));
    }

    Gateway gateway() {
        return gateways.getLast();
    }

    Server front() {
        return fronts.getLast();
    }

    HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String url, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of every counter named {@code name} with these tags, whatever its other tags (an error's kind). */
    double counter(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Override
    public void close() throws Exception {
        for (Server s : fronts) {
            s.shutdown(Duration.ofMillis(200));
        }
        for (Gateway g : gateways) {
            g.close();
        }
        upstreams.close();
        client.close();
    }
}
