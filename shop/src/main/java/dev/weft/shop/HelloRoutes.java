package dev.weft.shop;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.weft.http.Responses;
import dev.weft.http.ServeMux;
import dev.weft.shop.web.Json;

/**
 * The two TechEmpower test types: {@code GET /plaintext} answers {@code Hello, World!} as {@code text/plain}, and
 * {@code GET /json} answers {@code {"message":"Hello, World!"}}, serialised with Jackson on every request from a
 * fresh object, as the TechEmpower rules ask (no cached body), with the shop's one shared, thread-safe
 * {@link Json#MAPPER}. Both are on the benchmark's hot path, so they do nothing else.
 */
public final class HelloRoutes {
    private HelloRoutes() {}

    private static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.UTF_8);

    /** The JSON test's payload. */
    public record Message(String message) {}

    /**
     * Initialises Jackson and its serialiser for {@link Message}, which takes a few hundred milliseconds: call it
     * beside start-up so that the first {@code /json} request does not pay for it.
     */
    public static void warmUp() {
        try {
            Json.MAPPER.writeValueAsBytes(new Message("warm-up"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds {@code GET /plaintext} and {@code GET /json}. */
    public static void register(ServeMux mux) {
        mux.handle("GET /plaintext", (w, r) -> {
            w.headers().set("Content-Type", "text/plain");
            w.write(PLAINTEXT);
        });
        mux.handle("GET /json", (w, r) ->
                Responses.json(w, 200, Json.MAPPER.writeValueAsBytes(new Message("Hello, World!"))));
    }
}
