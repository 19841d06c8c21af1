package dev.weft.shop;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.weft.http.Responses;
import dev.weft.http.ServeMux;

/**
 * The two TechEmpower test types: {@code GET /plaintext} answers {@code Hello, World!} as {@code text/plain}, and
 * {@code GET /json} answers {@code {"message":"Hello, World!"}}, serialised with Jackson on every request from a
 * fresh object, as the TechEmpower rules ask (no cached body). Both are on the benchmark's hot path, so they do
 * nothing else.
 */
public final class HelloRoutes implements ShopComponent {
    private static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.UTF_8);

    /** The JSON test's payload. */
    public record Message(String message) {}

    /** One mapper for every request: ObjectMapper is thread-safe once configured, and costly to create. */
    private final ObjectMapper mapper;

    public HelloRoutes(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void register(ServeMux mux) {
        mux.handle("GET /plaintext", (w, r) -> {
            w.headers().set("Content-Type", "text/plain");
            w.write(PLAINTEXT);
        });
        mux.handle("GET /json", (w, r) ->
                Responses.json(w, 200, mapper.writeValueAsBytes(new Message("Hello, World!"))));
    }
}
