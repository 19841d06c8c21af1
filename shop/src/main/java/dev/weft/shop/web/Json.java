package dev.weft.shop.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.weft.http.Request;
import dev.weft.http.Responses;
import dev.weft.http.ResponseWriter;

/** JSON in and out of the shop's handlers, with one shared, thread-safe {@link ObjectMapper}. */
public final class Json {
    /** The shop's API takes small objects; a larger body is a client error, not something to buffer. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    /**
     * The shop's mapper. Its buffers are recycled through one pool shared by all threads, not Jackson's default of
     * one set per thread: an HTTP/2 stream runs on a new virtual thread, so a per-thread set was a new recycler, a
     * {@code SoftReference} and about 12 KB of new buffers on every request (a third of {@code /json}'s CPU time on
     * HTTP/2, see server-core's README, HTTP/2 Numbers).
     */
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build());

    private Json() {}

    /**
     * Reads the request body as a JSON object.
     *
     * @throws ApiError 400 naming the field {@code body} when it is empty, too large, malformed or not an object
     */
    public static ObjectNode readObject(Request r) throws IOException {
        byte[] bytes;
        try (InputStream in = r.body()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw badBody("must be at most " + MAX_BODY_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            throw badBody("is required (a JSON object)");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw badBody("is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw badBody("must be a JSON object");
        }
        return object;
    }

    /** Writes {@code value} as the JSON body of a response with {@code status}. */
    public static void write(ResponseWriter w, int status, Object value) throws IOException {
        Responses.json(w, status, MAPPER.writeValueAsBytes(value));
    }

    private static ApiError badBody(String problem) {
        return ApiError.invalid(Map.of("body", problem));
    }
}
