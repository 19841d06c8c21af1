package dev.weft.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * The server's Micrometer meters: timer {@code http.server.requests} (tags method, uri, status, protocol), gauges
 * {@code http.server.connections.active} and {@code http.server.requests.active}, counters
 * {@code http.server.bytes.in}, {@code http.server.bytes.out} and {@code http.server.connections.rejected}, and
 * {@code http.server.h2.defences} (tag attack: {@code rapid_reset}, {@code continuation_flood}, ...), each an HTTP/2
 * client answered with GOAWAY ENHANCE_YOUR_CALM or a 431.
 *
 * <p>The {@code protocol} tag is {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2.0}, the request's protocol.
 *
 * <p>The {@code uri} tag is the ServeMux pattern that matched, {@code NOT_FOUND} for a 404 without one, and
 * {@code UNMATCHED} otherwise (including requests refused before any handler ran), so that the tag's cardinality
 * is bounded by the routes, not by the URLs clients send. Methods outside the standard set are tagged
 * {@code OTHER} for the same reason. Without a registry every call returns at once.
 *
 * <p>The registry may come late ({@link #ServerMetrics(CompletionStage)}): a service starts serving before its
 * Prometheus registry exists, because making one is tens of milliseconds of class loading that the first request
 * does not need. Until then the gauges and counters count in this object (they are function meters over it, so
 * they need no replaying) and each request's timing waits in a list, recorded into its timer when the registry
 * arrives: every request is counted, including those served before the registry existed.
 */
final class ServerMetrics {
    private static final String[] STATUS = new String[1000];

    static {
        for (int i = 100; i < 1000; i++) {
            STATUS[i] = Integer.toString(i);
        }
    }

    /** False when there is no registry and none will come: every call returns at once. */
    private final boolean metered;
    /** Null until the registry has come and the requests served before it are recorded. */
    private volatile MeterRegistry registry;
    /** The requests served before the registry came, in order; null once it has (guarded by this). */
    private List<Served> unrecorded = new ArrayList<>();
    private final AtomicInteger activeConnections = new AtomicInteger();
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final ConcurrentHashMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();
    /** Written under this object's lock, so that {@link #bind} registers each exactly once. */
    private final ConcurrentHashMap<String, LongAdder> defences = new ConcurrentHashMap<>();

    /**
     * A timer's tags. equals and hashCode are written out: a record's generated ones are bootstrapped on first use,
     * which would cost a service's first request several milliseconds.
     */
    private record TimerKey(String method, String uri, int status, String protocol) {
        @Override
        public boolean equals(Object o) {
            return o instanceof TimerKey k && k.status == status && k.method.equals(method) && k.uri.equals(uri)
                    && k.protocol.equals(protocol);
        }

        @Override
        public int hashCode() {
            return ((method.hashCode() * 31 + uri.hashCode()) * 31 + status) * 31 + protocol.hashCode();
        }
    }

    /** A request served before the registry came. */
    private record Served(TimerKey key, long nanos) {}

    /** Meters published to {@code registry} at once; none when it is null. */
    ServerMetrics(MeterRegistry registry) {
        this.metered = registry != null;
        if (registry != null) {
            bind(registry);
        }
    }

    /**
     * Meters published to the registry {@code registry} completes with, counting from now. If it completes
     * exceptionally the server serves on without meters.
     */
    ServerMetrics(CompletionStage<? extends MeterRegistry> registry) {
        this.metered = true;
        registry.whenComplete(new Binding(this));
    }

    /** A class, not a lambda: it is made on a service's start path, where a lambda's bootstrap costs milliseconds. */
    private record Binding(ServerMetrics metrics) implements BiConsumer<MeterRegistry, Throwable> {
        @Override
        public void accept(MeterRegistry r, Throwable failure) {
            // A composite registry with no registries in it makes meters that record nothing.
            metrics.bind(r != null ? r : new CompositeMeterRegistry());
        }
    }

    int activeConnections() {
        return activeConnections.get();
    }

    void connectionOpened() {
        activeConnections.incrementAndGet();
    }

    void connectionClosed() {
        activeConnections.decrementAndGet();
    }

    void connectionRejected() {
        if (metered) {
            rejected.increment();
        }
    }

    void requestStarted() {
        if (metered) {
            activeRequests.incrementAndGet();
        }
    }

    void requestFinished(Request request, int status, long nanos) {
        if (!metered) {
            return;
        }
        activeRequests.decrementAndGet();
        String pattern = request.pattern();
        String uri = pattern != null ? pattern : status == 404 ? "NOT_FOUND" : "UNMATCHED";
        record(new TimerKey(method(request.method()), uri, status, request.protocol()), nanos);
    }

    /** Bytes read and written since the last call for one connection. */
    void transferred(long in, long out) {
        if (!metered) {
            return;
        }
        if (in > 0) {
            bytesIn.add(in);
        }
        if (out > 0) {
            bytesOut.add(out);
        }
    }

    /** A request refused before it reached a handler (malformed, too large, too slow). */
    void requestRefused(int status) {
        if (metered) {
            record(new TimerKey("UNKNOWN", "UNMATCHED", status, "UNKNOWN"), 0);
        }
    }

    /** An HTTP/2 defence fired: {@code attack} is one of the few names {@code Http2Connection} uses. */
    void http2Defence(String attack) {
        if (!metered) {
            return;
        }
        LongAdder count = defences.get(attack);
        if (count == null) {
            count = addDefence(attack);
        }
        count.increment();
    }

    private synchronized LongAdder addDefence(String attack) {
        LongAdder count = defences.get(attack);
        if (count == null) {
            count = new LongAdder();
            defences.put(attack, count);
            if (registry != null) {
                registerDefence(registry, attack, count);
            }
        }
        return count;
    }

    private void record(TimerKey key, long nanos) {
        MeterRegistry r = registry;
        if (r == null) {
            if (holdUntilBound(key, nanos)) {
                return;
            }
            r = registry;
        }
        timer(r, key).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Keeps a request served before the registry came; false when it has come meanwhile. */
    private synchronized boolean holdUntilBound(TimerKey key, long nanos) {
        if (registry != null) {
            return false;
        }
        unrecorded.add(new Served(key, nanos));
        return true;
    }

    private Timer timer(MeterRegistry r, TimerKey key) {
        Timer timer = timers.get(key);
        if (timer == null) {
            // Micrometer returns the registered timer if another thread registered the same one meanwhile.
            timer = Timer.builder("http.server.requests")
                    .description("HTTP requests served")
                    .tag("method", key.method()).tag("uri", key.uri())
                    .tag("status", key.status() < 1000 ? STATUS[key.status()] : Integer.toString(key.status()))
                    .tag("protocol", key.protocol())
                    .register(r);
            timers.putIfAbsent(key, timer);
        }
        return timer;
    }

    /**
     * Registers the meters with {@code r}, records the requests served so far, then publishes {@code r}: a request
     * that finishes meanwhile waits on the lock and is recorded after them.
     */
    private void bind(MeterRegistry r) {
        Gauge.builder("http.server.connections.active", activeConnections, AtomicInteger::get)
                .description("open client connections").register(r);
        Gauge.builder("http.server.requests.active", activeRequests, AtomicInteger::get)
                .description("requests being served").register(r);
        FunctionCounter.builder("http.server.bytes.in", bytesIn, LongAdder::sum).baseUnit("bytes")
                .description("bytes read from clients").register(r);
        FunctionCounter.builder("http.server.bytes.out", bytesOut, LongAdder::sum).baseUnit("bytes")
                .description("bytes written to clients").register(r);
        FunctionCounter.builder("http.server.connections.rejected", rejected, LongAdder::sum)
                .description("connections closed without being served (shutting down, TLS handshake failed)")
                .register(r);
        synchronized (this) {
            for (Map.Entry<String, LongAdder> e : defences.entrySet()) {
                registerDefence(r, e.getKey(), e.getValue());
            }
            for (Served served : unrecorded) {
                timer(r, served.key()).record(served.nanos(), TimeUnit.NANOSECONDS);
            }
            unrecorded = null;
            registry = r;
        }
    }

    private static void registerDefence(MeterRegistry r, String attack, LongAdder count) {
        FunctionCounter.builder("http.server.h2.defences", count, LongAdder::sum).tag("attack", attack)
                .description("HTTP/2 clients answered with GOAWAY ENHANCE_YOUR_CALM, or 431, by attack")
                .register(r);
    }

    private static String method(String m) {
        return switch (m) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE" -> m;
            default -> "OTHER";
        };
    }
}
