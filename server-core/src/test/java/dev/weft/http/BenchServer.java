package dev.weft.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.weft.config.ConfigTree;

/**
 * The two TechEmpower test types on a bare {@link Server}, for {@code ../shared/bench/peer-bench} and
 * {@code footprint} (they start it with {@code $PORT} set; {@code WEFT_SERVER_*} variables and
 * {@code -Dweft.server.*} properties set the rest): {@code GET /plaintext} answers {@code Hello, World!} as
 * {@code text/plain}, {@code GET /json} answers {@code {"message":"Hello, World!"}} built per request, as the peers
 * do. It measures the server alone, without a service's libraries (see the README's Numbers for the command).
 */
public final class BenchServer {
    private static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.UTF_8);

    private BenchServer() {}

    public static void main(String[] args) throws Exception {
        ServeMux mux = new ServeMux();
        mux.handle("GET /plaintext", (w, r) -> {
            w.headers().set("Content-Type", "text/plain");
            w.write(PLAINTEXT);
        });
        mux.handle("GET /json", (w, r) -> Responses.json(w, 200,
                ("{\"message\":\"" + "Hello, World!" + "\"}").getBytes(StandardCharsets.UTF_8)));
        // Loopback on $PORT; any other setting from WEFT_SERVER_* or -Dweft.server.* (executor=platform, ...).
        ServerConfig config = ConfigTree.of(Map.of("server", Map.of("host", "127.0.0.1"))).withProcessOverrides()
                .read(root -> ServerConfig.from(root.section("server")));
        new Server(config, mux).listenAndServe();
    }
}
