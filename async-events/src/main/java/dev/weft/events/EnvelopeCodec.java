package dev.weft.events;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The wire form of an {@link Envelope}: one JSON object
 * {@code {"id","type","version","occurredAt","correlationId","payload"}}, UTF-8, {@code occurredAt} in ISO-8601.
 * The same bytes go into the outbox table and onto the broker, so what a consumer reads is what the producer wrote.
 */
public final class EnvelopeCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EnvelopeCodec() {}

    /** The shared, thread-safe mapper, for building payload trees. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Envelope e) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", e.id());
        node.put("type", e.type());
        node.put("version", e.version());
        node.put("occurredAt", e.occurredAt().toString());
        if (e.correlationId() == null) {
            node.putNull("correlationId");
        } else {
            node.put("correlationId", e.correlationId());
        }
        node.set("payload", e.payload());
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException ex) {
            throw new IllegalStateException("cannot encode event " + e.id(), ex);
        }
    }

    /**
     * Parses an envelope, or throws {@link MalformedEventException} naming every missing or invalid field: such a
     * message can never succeed, so consumers park it at once instead of retrying it.
     */
    public static Envelope decode(byte[] bytes) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException ex) {
            throw new MalformedEventException("not JSON: " + ex.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new MalformedEventException("not a JSON object");
        }
        StringBuilder problems = new StringBuilder();
        String id = text(node, "id", problems);
        String type = text(node, "type", problems);
        JsonNode version = node.get("version");
        if (version == null || !version.canConvertToInt()) {
            problems.append("version: missing or not an integer; ");
        }
        Instant occurredAt = null;
        String occurred = text(node, "occurredAt", problems);
        if (occurred != null) {
            try {
                occurredAt = Instant.parse(occurred);
            } catch (DateTimeParseException ex) {
                problems.append("occurredAt: not an ISO-8601 instant; ");
            }
        }
        JsonNode correlation = node.get("correlationId");
        JsonNode payload = node.get("payload");
        if (payload == null) {
            problems.append("payload: missing; ");
        }
        if (!problems.isEmpty()) {
            throw new MalformedEventException(problems.substring(0, problems.length() - 2));
        }
        try {
            return new Envelope(id, type, version.intValue(), occurredAt,
                    correlation == null || correlation.isNull() ? null : correlation.asText(), payload);
        } catch (IllegalArgumentException ex) {
            throw new MalformedEventException(ex.getMessage());
        }
    }

    private static String text(JsonNode node, String field, StringBuilder problems) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            problems.append(field).append(": missing or not a string; ");
            return null;
        }
        return v.asText();
    }
}
