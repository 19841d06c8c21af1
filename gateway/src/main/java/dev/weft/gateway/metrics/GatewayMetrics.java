package dev.weft.gateway.metrics;

import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The gateway's meters, all named {@code gateway.*}:
 * <ul>
 *   <li>{@code gateway.requests} (timer; route, upstream, status): every request a route answered, with latency;</li>
 *   <li>{@code gateway.upstream.errors} (counter; upstream, instance, kind = connect, timeout, reset, protocol);</li>
 *   <li>{@code gateway.upstream.retries} (counter; route, upstream): attempts on another instance;</li>
 *   <li>{@code gateway.upstream.ejections} (counter; upstream, instance): passive-health ejections;</li>
 *   <li>{@code gateway.upstream.health.failures} (counter; upstream, instance): failed active checks;</li>
 *   <li>{@code gateway.ratelimit.rejected} (counter; route): requests answered 429;</li>
 *   <li>{@code gateway.ratelimit.fallback} (counter): decisions taken locally because Redis failed;</li>
 *   <li>{@code gateway.auth.rejected} (counter; route, reason): requests answered 401.</li>
 * </ul>
 * Meters are created once per tag combination and cached, so the request path does no registry lookup.
 */
public final class GatewayMetrics {
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter rateLimitFallback;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.rateLimitFallback = Counter.builder("gateway.ratelimit.fallback")
                .description("rate-limit decisions taken by the local bucket because Redis failed")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The meters of one route. */
    public RouteMetrics route(String route, String upstream) {
        return new RouteMetrics(registry, route, upstream);
    }

    public void upstreamError(String upstream, String instance, String kind) {
        counter("gateway.upstream.errors", "upstream", upstream, "instance", instance, "kind", kind).increment();
    }

    public void ejection(String upstream, String instance) {
        counter("gateway.upstream.ejections", "upstream", upstream, "instance", instance, null, null).increment();
    }

    public void healthCheckFailure(String upstream, String instance) {
        counter("gateway.upstream.health.failures", "upstream", upstream, "instance", instance, null, null)
                .increment();
    }

    public void rateLimitFallback() {
        rateLimitFallback.increment();
    }

    private Counter counter(String name, String k1, String v1, String k2, String v2, String k3, String v3) {
        String key = name + '|' + v1 + '|' + v2 + '|' + v3;
        Counter c = counters.get(key);
        if (c == null) {
            Counter.Builder b = Counter.builder(name).tag(k1, v1).tag(k2, v2);
            if (k3 != null) {
                b.tag(k3, v3);
            }
            c = counters.computeIfAbsent(key, k -> b.register(registry));
        }
        return c;
    }

    /** The meters of one route, created when the route is. */
    public static final class RouteMetrics {
        private final MeterRegistry registry;
        private final String route;
        private final String upstream;
        private final ConcurrentHashMap<Integer, Timer> byStatus = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Counter> authRejected = new ConcurrentHashMap<>();
        private final Counter retries;
        private final Counter rateLimited;

        RouteMetrics(MeterRegistry registry, String route, String upstream) {
            this.registry = registry;
            this.route = route;
            this.upstream = upstream;
            this.retries = Counter.builder("gateway.upstream.retries").tag("route", route).tag("upstream", upstream)
                    .register(registry);
            this.rateLimited = Counter.builder("gateway.ratelimit.rejected").tag("route", route).register(registry);
        }

        public void request(int status, long nanos) {
            Timer t = byStatus.get(status);
            if (t == null) {
                t = byStatus.computeIfAbsent(status, s -> Timer.builder("gateway.requests").tag("route", route)
                        .tag("upstream", upstream).tag("status", Integer.toString(s)).register(registry));
            }
            t.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        public void retry() {
            retries.increment();
        }

        public void rateLimited() {
            rateLimited.increment();
        }

        public void unauthenticated(String reason) {
            authRejected.computeIfAbsent(reason, r -> Counter.builder("gateway.auth.rejected").tag("route", route)
                    .tag("reason", r).register(registry)).increment();
        }
    }
}
