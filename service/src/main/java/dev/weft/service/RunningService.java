package dev.weft.service;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.http.Handler;
import dev.weft.http.RequestId;
import dev.weft.http.Server;
import dev.weft.http.ServeMux;
import dev.weft.http.ShutdownReport;
import dev.weft.http.health.Health;

/**
 * A service that has bound its server: its modules open in the background, then the service starts, and
 * {@link #shutdown} stops it all gracefully.
 *
 * <p>Two muxes serve it. Until the service has started, requests go to the start-up mux: the health probes,
 * {@code /metrics} and the service's {@link Service#routesWhileStarting}, and a 503 with {@code Retry-After} for
 * every other path (a client or a balancer that comes too early is told to come back, not that the path does not
 * exist). Then one volatile write switches every request to the full mux, which has the same routes and the ones
 * the modules and the service added, with {@code ServeMux}'s conflict checks over all of them.
 *
 * <p>In front of both, {@link RequestId#middleware()} gives every request its id: taken from {@code X-Request-Id}
 * or made, in the MDC of every line the request logs, and echoed in the response.
 */
public final class RunningService {
    private static final Logger log = LoggerFactory.getLogger(RunningService.class);

    private final Weft.Startup startup;
    private final MetricsEndpoint metrics;
    private final Health health = new Health();
    private final ServeMux mux = new ServeMux();
    private final ServeMux startingMux = new ServeMux();
    private final Modules modules;
    private final Server server;
    private final Deque<StartableModule> opened = new ArrayDeque<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private volatile boolean ready;
    private volatile boolean shuttingDown;
    private Thread starter;

    RunningService(Weft.Startup startup, MetricsEndpoint metrics) {
        this.startup = startup;
        this.metrics = metrics;
        this.modules = new Modules(startup.name(), metrics, health);
        byte[] starting = ("{\"error\":\"" + startup.name() + " is starting: retry shortly\"}")
                .getBytes(StandardCharsets.UTF_8);
        for (ServeMux m : new ServeMux[] {mux, startingMux}) {
            health.register(m);
            metrics.register(m);
            startup.service().routesWhileStarting(m);
        }
        startingMux.handle("/", (w, r) -> {
            w.headers().set("Retry-After", "1");
            w.headers().set("Content-Type", "application/json");
            w.writeHeader(503);
            w.write(starting);
        });
        health.addCheck(startup.name(), Weft.CHECK_TIMEOUT, () -> {
            if (!ready) {
                throw new IllegalStateException(startup.name() + " is starting");
            }
        });
        Handler handler = RequestId.middleware().wrap((w, r) -> (ready ? mux : startingMux).serve(w, r));
        server = new Server(startup.server(), handler, metrics.registryLater());
        server.registerOnShutdown(health::markNotReady);
    }

    /**
     * Serves on {@code listener}, bound already (the connections that came meanwhile wait in its backlog), then
     * opens the modules and starts the service on a thread of its own.
     */
    RunningService start(ServerSocket listener) {
        long begin = System.nanoTime();
        server.start(listener);
        log.info("{} listening on {}", startup.name(), server.address());
        // A platform thread, not a virtual one: opening the modules is seconds of class loading and CPU that never
        // blocks for long, and a virtual thread would hold a carrier all that time, one of the few that serve the
        // connections (on two cores, the first request waited for it).
        starter = Thread.ofPlatform().daemon().name(startup.name() + "-start").start(() -> {
            try {
                metrics.bindJvmMeters();
                for (StartableModule module : startup.modules()) {
                    opened.push(module);
                    module.open(modules, mux);
                }
                startup.service().start(modules, mux);
                ready = true;
                log.info("{} started in {} ms{}", startup.name(), (System.nanoTime() - begin) / 1_000_000,
                        startup.sections().isEmpty() ? "" : ": " + String.join(", ", startup.sections()));
                started.complete(null);
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        });
        return this;
    }

    /** Completes when the modules are open and the service has started; exceptionally when either failed. */
    public CompletableFuture<Void> started() {
        return started;
    }

    /** True from the first call of {@link #shutdown}. */
    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** The bound address: the real port when the configuration asked for port 0. */
    public InetSocketAddress address() {
        return server.address();
    }

    /** The modules, for tests that look inside. */
    public Modules modules() {
        return modules;
    }

    /**
     * Graceful shutdown: readiness off, no new connections, in-flight requests finished or cut at {@code grace};
     * then the service stops and the modules close, last opened first (the relay and consumers before the
     * transport, the pool last). A start-up still in progress is interrupted, and what it opened is closed.
     */
    public ShutdownReport shutdown(Duration grace) {
        shuttingDown = true;
        ShutdownReport report = server.shutdown(grace);
        try {
            if (starter != null && !started.isDone()) {
                // Still opening (a database that does not answer, say): stop waiting, then close what opened.
                starter.interrupt();
            }
            if (starter != null) {
                starter.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ready = false;
        if (started.isDone() && !started.isCompletedExceptionally()) {
            try {
                startup.service().stop();
            } catch (RuntimeException e) {
                log.warn("{}: stopping the service failed: {}", startup.name(), e.toString());
            }
        }
        while (!opened.isEmpty()) {
            StartableModule module = opened.pop();
            try {
                module.close();
            } catch (Exception e) {
                log.warn("{}: closing {} failed: {}", startup.name(), module, e.toString());
            }
        }
        metrics.close();
        return report;
    }
}
