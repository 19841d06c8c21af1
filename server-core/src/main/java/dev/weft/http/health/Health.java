package dev.weft.http.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.weft.health.HealthCheck;
import dev.weft.http.Request;
import dev.weft.http.Responses;
import dev.weft.http.ResponseWriter;
import dev.weft.http.ServeMux;

/**
 * The liveness and readiness probes, for load balancers and orchestrators.
 *
 * <ul>
 *   <li>{@code GET /health/live} answers 200 {@code {"status":"UP"}} for as long as the process serves requests:
 *       it checks nothing else, so that a slow database never gets a healthy process restarted.</li>
 *   <li>{@code GET /health/ready} runs every registered {@link HealthCheck} at once, each on its own virtual
 *       thread and with its own timeout, and answers 200 {@code {"status":"UP","checks":{...}}} when all pass,
 *       or 503 {@code {"status":"DOWN","checks":{...}}} naming each failing check and why (its exception, or
 *       the timeout it exceeded). A check that overruns its timeout is interrupted and reported down; it should
 *       honour interruption.</li>
 *   <li>After {@link #markNotReady()}, which the server calls the moment shutdown starts
 *       ({@code server.registerOnShutdown(health::markNotReady)}), readiness answers 503
 *       {@code {"status":"SHUTTING_DOWN"}} without running the checks, so that load balancers stop sending
 *       new work while in-flight requests finish.</li>
 * </ul>
 * Each check reports {@code status}, {@code durationMs} and, when down, {@code error}. Error messages are
 * returned to whoever can reach the probe: keep secrets out of them, and the probe off the public network.
 * Responses carry {@code Cache-Control: no-store}.
 */
public final class Health {
    private static final byte[] UP = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SHUTTING_DOWN = "{\"status\":\"SHUTTING_DOWN\"}".getBytes(StandardCharsets.UTF_8);

    private record Check(String name, Duration timeout, HealthCheck check) {}

    private final List<Check> checks = new CopyOnWriteArrayList<>();
    private volatile boolean notReady;

    /**
     * Adds a readiness check.
     *
     * @param name    how the check appears in the report; unique
     * @param timeout how long the check may take before it counts as failed; positive
     * @throws IllegalArgumentException for a duplicate name or a timeout that is not positive
     */
    public Health addCheck(String name, Duration timeout, HealthCheck check) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(check, "check");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health check " + name + ": timeout must be positive, was " + timeout);
        }
        synchronized (checks) {
            for (Check c : checks) {
                if (c.name().equals(name)) {
                    throw new IllegalArgumentException("health check " + name + " is already registered");
                }
            }
            checks.add(new Check(name, timeout, check));
        }
        return this;
    }

    /** Registers {@code GET /health/live} and {@code GET /health/ready} (and so HEAD) on {@code mux}. */
    public void register(ServeMux mux) {
        mux.handle("GET /health/live", this::live);
        mux.handle("GET /health/ready", this::ready);
    }

    /** Turns readiness to 503 for good: called when shutdown starts. Liveness is not affected. */
    public void markNotReady() {
        notReady = true;
    }

    /** False once {@link #markNotReady()} was called. */
    public boolean isReady() {
        return !notReady;
    }

    private void live(ResponseWriter w, Request r) throws IOException {
        w.headers().set("Cache-Control", "no-store");
        Responses.json(w, 200, UP);
    }

    private void ready(ResponseWriter w, Request r) throws IOException {
        w.headers().set("Cache-Control", "no-store");
        if (notReady) {
            Responses.json(w, 503, SHUTTING_DOWN);
            return;
        }
        List<Check> snapshot = List.copyOf(checks);
        long start = System.nanoTime();
        List<CompletableFuture<Long>> results = new ArrayList<>(snapshot.size());
        List<Thread> threads = new ArrayList<>(snapshot.size());
        for (Check c : snapshot) {
            CompletableFuture<Long> result = new CompletableFuture<>();
            results.add(result);
            threads.add(Thread.ofVirtual().name("health-check-" + c.name()).start(() -> {
                try {
                    c.check().check();
                    result.complete(System.nanoTime() - start);
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            }));
        }
        boolean up = true;
        StringBuilder checksJson = new StringBuilder(64 * snapshot.size() + 2).append('{');
        for (int i = 0; i < snapshot.size(); i++) {
            Check c = snapshot.get(i);
            long left = c.timeout().toNanos() - (System.nanoTime() - start);
            String error;
            long nanos;
            try {
                nanos = results.get(i).get(Math.max(left, 0), TimeUnit.NANOSECONDS);
                error = null;
            } catch (TimeoutException e) {
                threads.get(i).interrupt();
                nanos = c.timeout().toNanos();
                error = "timed out after " + c.timeout().toMillis() + "ms";
            } catch (ExecutionException e) {
                nanos = System.nanoTime() - start;
                error = describe(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                threads.get(i).interrupt();
                nanos = System.nanoTime() - start;
                error = "the probe was interrupted";
            }
            up &= error == null;
            if (i > 0) {
                checksJson.append(',');
            }
            quote(checksJson, c.name());
            checksJson.append(":{\"status\":\"").append(error == null ? "UP" : "DOWN")
                    .append("\",\"durationMs\":").append(TimeUnit.NANOSECONDS.toMillis(nanos));
            if (error != null) {
                checksJson.append(",\"error\":");
                quote(checksJson, error);
            }
            checksJson.append('}');
        }
        checksJson.append('}');
        String body = "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"checks\":" + checksJson + "}";
        Responses.json(w, up ? 200 : 503, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String describe(Throwable e) {
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type + ": " + e.getMessage();
    }

    /**
     * Appends {@code s} as a JSON string (RFC 8259): quotes, backslashes and control characters escaped, and lone
     * surrogates too, which UTF-8 could not carry.
     */
    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    boolean loneSurrogate = Character.isSurrogate(c)
                            && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                                    && Character.isLowSurrogate(s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || loneSurrogate) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
