package dev.weft.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event as it travels: a versioned JSON envelope around the event's own payload.
 *
 * <p>{@code id} is what consumers deduplicate on, so a re-published event keeps its id. {@code type} is also the
 * routing key (for example {@code order.created}), so consumer groups bind to types with topic patterns such as
 * {@code order.*}. {@code version} is the payload's schema version: a consumer that meets a version it does not know
 * throws, and the event is retried, then parked until the consumer is upgraded and the event replayed.
 *
 * @param id            unique, stable across re-publishing
 * @param type          dotted event name, the routing key; letters, digits, {@code . _ -}
 * @param version       payload schema version, 1 or more
 * @param occurredAt    when the business change happened
 * @param correlationId the request or flow the event belongs to, or null
 * @param payload       the event's data as a JSON tree
 */
public record Envelope(String id, String type, int version, Instant occurredAt, String correlationId,
                       JsonNode payload) {

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
        if (id.isEmpty() || id.length() > 64) {
            throw new IllegalArgumentException("id: must be 1 to 64 characters, got \"" + id + "\"");
        }
        if (!validType(type)) {
            throw new IllegalArgumentException(
                    "type: must be 1 to 255 letters, digits, '.', '_' or '-' without empty words, got \"" + type + "\"");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version: must be 1 or more, got " + version);
        }
    }

    /** A new event with a random id, occurring now. */
    public static Envelope of(String type, int version, JsonNode payload, String correlationId) {
        return new Envelope(UUID.randomUUID().toString(), type, version, Instant.now(), correlationId, payload);
    }

    private static boolean validType(String type) {
        if (type.isEmpty() || type.length() > 255 || type.startsWith(".") || type.endsWith(".")
                || type.contains("..")) {
            return false;
        }
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
