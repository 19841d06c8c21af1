package dev.weft.shop.web;

import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.weft.http.Handler;
import dev.weft.http.Middleware;

/**
 * Turns the shop's refusals into JSON responses: an {@link ApiError} into its status with
 * {@code {"error": ..., "fields": {...}}}, and an exhausted connection pool into 503 with {@code Retry-After}.
 *
 * <p>Anything else propagates, and the server answers 500 and logs it once. The pool case is recognised anywhere in
 * the cause chain, because a cache loader or an event consumer may wrap the exception on its way up.
 */
public final class ErrorResponses implements Middleware {
    /** Seconds a client should wait after a 503: about one pool connectionTimeout's worth of queue to drain. */
    static final String RETRY_AFTER_SECONDS = "1";

    @Override
    public Handler wrap(Handler next) {
        return (w, r) -> {
            try {
                next.serve(w, r);
            } catch (ApiError e) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("error", e.getMessage());
                if (!e.fields().isEmpty()) {
                    body.put("fields", e.fields());
                }
                Json.write(w, e.status(), body);
            } catch (Exception e) {
                if (!poolExhausted(e) || w.committed()) {
                    throw e;
                }
                w.headers().set("Retry-After", RETRY_AFTER_SECONDS);
                Json.write(w, 503, Map.of("error", "the database is busy: no connection free in time, retry later"));
            }
        };
    }

    static boolean poolExhausted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }
}
