package dev.weft.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

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
 */
final class ServerMetrics {
    private static final String[] STATUS = new String[1000];

    static {
        for (int i = 100; i < 1000; i++) {
            STATUS[i] = Integer.toString(i);
        }
    }

    private final MeterRegistry registry;
    private final AtomicInteger activeConnections = new AtomicInteger();
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter rejected;
    private final ConcurrentHashMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> defences = new ConcurrentHashMap<>();

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

    ServerMetrics(MeterRegistry registry) {
        this.registry = registry;
        if (registry == null) {
            bytesIn = null;
            bytesOut = null;
            rejected = null;
            return;
        }
        Gauge.builder("http.server.connections.active", activeConnections, AtomicInteger::get)
                .description("open client connections").register(registry);
        Gauge.builder("http.server.requests.active", activeRequests, AtomicInteger::get)
                .description("requests being served").register(registry);
        bytesIn = Counter.builder("http.server.bytes.in").baseUnit("bytes")
                .description("bytes read from clients").register(registry);
        bytesOut = Counter.builder("http.server.bytes.out").baseUnit("bytes")
                .description("bytes written to clients").register(registry);
        rejected = Counter.builder("http.server.connections.rejected")
                .description("connections closed without being served (shutting down, TLS handshake failed)")
                .register(registry);
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
        if (rejected != null) {
            rejected.increment();
        }
    }

    void requestStarted() {
        if (registry != null) {
            activeRequests.incrementAndGet();
        }
    }

    void requestFinished(Request request, int status, long nanos) {
        if (registry == null) {
            return;
        }
        activeRequests.decrementAndGet();
        String pattern = request.pattern();
        String uri = pattern != null ? pattern : status == 404 ? "NOT_FOUND" : "UNMATCHED";
        record(method(request.method()), uri, status, request.protocol(), nanos);
    }

    /** Bytes read and written since the last call for one connection. */
    void transferred(long in, long out) {
        if (registry == null) {
            return;
        }
        if (in > 0) {
            bytesIn.increment(in);
        }
        if (out > 0) {
            bytesOut.increment(out);
        }
    }

    /** A request refused before it reached a handler (malformed, too large, too slow). */
    void requestRefused(int status) {
        if (registry != null) {
            record("UNKNOWN", "UNMATCHED", status, "UNKNOWN", 0);
        }
    }

    /** An HTTP/2 defence fired: {@code attack} is one of the few names {@code Http2Connection} uses. */
    void http2Defence(String attack) {
        if (registry == null) {
            return;
        }
        Counter c = defences.get(attack);
        if (c == null) {
            c = Counter.builder("http.server.h2.defences").tag("attack", attack)
                    .description("HTTP/2 clients answered with GOAWAY ENHANCE_YOUR_CALM, or 431, by attack")
                    .register(registry);
            defences.putIfAbsent(attack, c);
        }
        c.increment();
    }

    private void record(String method, String uri, int status, String protocol, long nanos) {
        TimerKey key = new TimerKey(method, uri, status, protocol);
        Timer timer = timers.get(key);
        if (timer == null) {
            // Micrometer returns the registered timer if another thread registered the same one meanwhile.
            timer = Timer.builder("http.server.requests")
                    .description("HTTP requests served")
                    .tag("method", method).tag("uri", uri)
                    .tag("status", status < 1000 ? STATUS[status] : Integer.toString(status))
                    .tag("protocol", protocol)
                    .register(registry);
            timers.putIfAbsent(key, timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String method(String m) {
        return switch (m) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE" -> m;
            default -> "OTHER";
        };
    }
}
