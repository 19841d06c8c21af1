package dev.weft.shop;

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
 * and status; connections; bytes), whatever the other components register, and the JVM and process meters that
 * {@link #bindJvmMeters()} adds (memory, GC, threads, class loading, CPU, uptime, open files).
 */
public final class MetricsEndpoint implements ShopComponent, AutoCloseable {
    /** What {@link PrometheusMeterRegistry#scrape()} writes: the Prometheus text exposition format 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /**
     * Binds the JVM and process meters. Separate from construction so that it can run once the server is up:
     * it loads a few hundred classes that answering the first request does not need.
     */
    public void bindJvmMeters() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** The registry to hand to the server and to every component that records meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void register(ServeMux mux) {
        mux.handle("GET /metrics", (w, r) -> {
            w.headers().set("Content-Type", CONTENT_TYPE);
            w.write(registry.scrape());
        });
    }

    /** Stops listening for GC notifications. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
