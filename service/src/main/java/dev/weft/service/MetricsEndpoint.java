package dev.weft.service;

import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.weft.http.ServeMux;

/**
 * {@code GET /metrics} in the Prometheus text format: the server's own meters (requests by method, route pattern
 * and status; connections; bytes), every module's, and the JVM and process meters that {@link #bindJvmMeters()}
 * adds (memory, GC, threads, class loading, CPU, uptime, open files).
 *
 * <p>The registry may still be being made when the endpoint is: a service's start-up makes it on another thread
 * (about 45 ms of class loading) while the server starts serving, and the server records what it served
 * meanwhile when it arrives. Everything here that needs the registry waits for it.
 */
final class MetricsEndpoint implements AutoCloseable {
    /** What {@link PrometheusMeterRegistry#scrape()} writes: the Prometheus text exposition format 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final CompletableFuture<PrometheusMeterRegistry> registry;
    /**
     * Made with the other JVM meters, after the server is up: its constructor asks the platform's memory pool beans
     * for the collector's generations, the first use of java.lang.management (about 15 ms of class loading), which
     * the first request does not need.
     */
    private volatile JvmGcMetrics gc;

    /** An endpoint over the registry {@code registry} completes with (see {@link #newRegistry()}). */
    MetricsEndpoint(CompletableFuture<PrometheusMeterRegistry> registry) {
        this.registry = registry;
    }

    /** An endpoint with its registry made now, on this thread. */
    static MetricsEndpoint now() {
        return new MetricsEndpoint(CompletableFuture.completedFuture(newRegistry()));
    }

    static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /**
     * Binds the JVM and process meters. Separate from construction so that it can run once the server is up: it
     * loads a few hundred classes that answering the first request does not need.
     */
    void bindJvmMeters() {
        PrometheusMeterRegistry r = registry();
        new ClassLoaderMetrics().bindTo(r);
        new JvmMemoryMetrics().bindTo(r);
        gc = new JvmGcMetrics();
        gc.bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new JvmInfoMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        new UptimeMetrics().bindTo(r);
        new FileDescriptorMetrics().bindTo(r);
    }

    /** The registry, waiting for it if it is still being made. */
    PrometheusMeterRegistry registry() {
        return registry.join();
    }

    /** The registry as it is being made: for the server, which serves before it exists. */
    CompletableFuture<PrometheusMeterRegistry> registryLater() {
        return registry;
    }

    void register(ServeMux mux) {
        mux.handle("GET /metrics", (w, r) -> {
            w.headers().set("Content-Type", CONTENT_TYPE);
            w.write(registry().scrape());
        });
    }

    /** Stops listening for GC notifications. */
    @Override
    public void close() {
        JvmGcMetrics bound = gc;
        if (bound != null) {
            bound.close();
        }
        if (!registry.isCompletedExceptionally()) {
            registry().close();
        }
    }
}
