package dev.weft.shop.web;

import java.util.Map;

/**
 * A request the shop refuses, with the HTTP status and the message the client gets back as JSON. Thrown by handlers
 * and domain code, and turned into a response by {@link ErrorResponses}.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final Map<String, String> fields;

    private ApiError(int status, String message, Map<String, String> fields) {
        super(message, null, false, false);
        this.status = status;
        this.fields = Map.copyOf(fields);
    }

    /** 400: each entry names a bad field and says what is wrong with it. */
    public static ApiError invalid(Map<String, String> fields) {
        return new ApiError(400, "invalid request", fields);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message, Map.of());
    }

    /** 409: the request is well-formed but the current state forbids it (for example, not enough stock). */
    public static ApiError conflict(String message) {
        return new ApiError(409, message, Map.of());
    }

    public int status() {
        return status;
    }

    /** The bad fields of a 400, by name; empty for other statuses. */
    public Map<String, String> fields() {
        return fields;
    }
}
