package dev.weft.shop.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.weft.http.Handler;
import dev.weft.http.Middleware;
import dev.weft.http.ResponseWriter;

/**
 * Turns the shop's refusals into JSON responses: an {@link ApiError} into its status with
 * {@code {"error": ..., "fields": {...}}}. Anything else propagates: an exhausted pool to db-pool's
 * {@code PoolExhaustedMiddleware}, which answers 503 with Retry-After through {@link #write(ResponseWriter, int,
 * String)} so that its body has the same shape, the rest to the server, which answers 500 and logs it.
 */
public final class ErrorResponses implements Middleware {
    @Override
    public Handler wrap(Handler next) {
        return (w, r) -> {
            try {
                next.serve(w, r);
            } catch (ApiError e) {
                write(w, e.status(), e.getMessage(), e.fields());
            }
        };
    }

    /** Writes {@code {"error": message}} with {@code status}: the shop's body for every refusal. */
    public static void write(ResponseWriter w, int status, String message) throws IOException {
        write(w, status, message, Map.of());
    }

    /** Writes {@code {"error": message, "fields": {...}}}; {@code fields} is left out when empty. */
    private static void write(ResponseWriter w, int status, String message, Map<String, String> fields)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (!fields.isEmpty()) {
            body.put("fields", fields);
        }
        Json.write(w, status, body);
    }
}
