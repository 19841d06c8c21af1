package dev.weft.shop.web;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the fields of a JSON request body and collects every problem before answering, so that one 400 names all
 * the bad fields at once rather than the first one only.
 *
 * <p>Each getter returns a placeholder (0 or null) for a bad field; the caller must call {@link #validate()} before
 * using any value.
 */
public final class BodyFields {
    private final ObjectNode body;
    private final Map<String, String> problems = new LinkedHashMap<>();

    public BodyFields(ObjectNode body) {
        this.body = body;
    }

    /** A required integer from 1 to {@link Long#MAX_VALUE}: ids. */
    public long positiveId(String name) {
        return integer(name, 1, Long.MAX_VALUE);
    }

    /** A required integer in {@code [min, max]}; JSON strings and fractions are rejected, not coerced. */
    public long integer(String name, long min, long max) {
        JsonNode node = body.get(name);
        String range = max == Long.MAX_VALUE ? "an integer >= " + min : "an integer from " + min + " to " + max;
        if (node == null || node.isNull()) {
            problems.put(name, "is required (" + range + ")");
        } else if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            problems.put(name, "must be " + range);
        } else if (node.longValue() < min || node.longValue() > max) {
            problems.put(name, "must be " + range + ", was " + node.longValue());
        } else {
            return node.longValue();
        }
        return 0;
    }

    /** A required string of 1 to {@code maxLength} characters that is not only blanks. */
    public String text(String name, int maxLength) {
        JsonNode node = body.get(name);
        String rule = "a non-blank string of at most " + maxLength + " characters";
        if (node == null || node.isNull()) {
            problems.put(name, "is required (" + rule + ")");
        } else if (!node.isTextual() || node.textValue().isBlank() || node.textValue().length() > maxLength) {
            problems.put(name, "must be " + rule);
        } else {
            return node.textValue();
        }
        return null;
    }

    /** Throws the 400 naming every bad field, including fields the endpoint does not know; else returns. */
    public void validate(List<String> known) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.put(name, "is not a known field (expected " + String.join(", ", known) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw ApiError.invalid(problems);
        }
    }
}
