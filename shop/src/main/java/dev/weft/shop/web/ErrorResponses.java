package dev.weft.shop.web;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.weft.http.Handler;
import dev.weft.http.Middleware;

/**
 * Turns the shop's refusals into JSON responses: an {@link ApiError} into its status with
 * {@code {"error": ..., "fields": {...}}}. Anything else propagates: an exhausted pool to db-pool's
 * {@code PoolExhaustedMiddleware} (503 with Retry-After), the rest to the server, which answers 500 and logs it.
 */
public final class ErrorResponses implements Middleware {
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
            }
        };
    }
}
