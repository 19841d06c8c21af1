package dev.weft.shop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

import dev.weft.http.Server;
import dev.weft.http.ServeMux;
import dev.weft.http.ServerConfig;
import dev.weft.http.ShutdownReport;
import dev.weft.http.health.Health;

/**
 * The shop's HTTP side: one {@link ServeMux} with every component's routes, the health probes
 * ({@code /health/live}, {@code /health/ready} with the components' checks) and the {@link Server} serving it.
 * Readiness turns to 503 the moment shutdown starts, so that load balancers stop sending work while in-flight
 * requests finish.
 */
public final class ShopServer {
    private final Health health = new Health();
    private final ServeMux mux = new ServeMux();
    private final Server server;

    /**
     * Wires {@code components} (their routes and readiness checks) into a server built from {@code config} that
     * records its meters in {@code registry}.
     *
     * @throws IllegalArgumentException when two components' routes conflict
     */
    public ShopServer(ServerConfig config, MeterRegistry registry, List<? extends ShopComponent> components) {
        for (ShopComponent c : components) {
            c.register(mux);
            c.addReadinessChecks(health);
        }
        health.register(mux);
        server = new Server(config, mux, registry);
        server.registerOnShutdown(health::markNotReady);
    }

    /** Binds and serves in the background. */
    public ShopServer start() throws IOException {
        server.start();
        return this;
    }

    /** The bound address: the real port when the configuration asked for port 0. */
    public InetSocketAddress address() {
        return server.address();
    }

    public Health health() {
        return health;
    }

    /** Graceful shutdown: readiness off, no new connections, in-flight requests finished or cut at the deadline. */
    public ShutdownReport shutdown(Duration grace) {
        return server.shutdown(grace);
    }
}
