package dev.weft.service;

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
 */
final class MetricsEndpoint implements AutoCloseable {
    /** What {@link PrometheusMeterRegistry#scrape()} writes: the Prometheus text exposition format 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /**
     * Made with the other JVM meters, after the server is up: its constructor asks the platform's memory pool beans
     * for the collector's generations, the first use of java.lang.management (about 15 ms of class loading), which
     * the first request does not need.
     */
    private volatile JvmGcMetrics gc;

    /**
     * Binds the JVM and process meters. Separate from construction so that it can run once the server is up: it
     * loads a few hundred classes that answering the first request does not need.
     */
    void bindJvmMeters() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    void register(ServeMux mux) {
        mux.handle("GET /metrics", (w, r) -> {
            w.headers().set("Content-Type", CONTENT_TYPE);
            w.write(registry.scrape());
        });
    }

    /** Stops listening for GC notifications. */
    @Override
    public void close() {
        JvmGcMetrics bound = gc;
        if (bound != null) {
            bound.close();
        }
        registry.close();
    }
}
