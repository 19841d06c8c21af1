package dev.weft.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.weft.config.ConfigTree;
import dev.weft.gateway.config.GatewayConfig;
import dev.weft.http.ServerConfig;

/**
 * The standalone gateway's file: the example shipped with the module, what a bad file does to {@link Main}, and
 * {@link Main} without a {@code gateway:} section.
 */
class MainConfigTest {
    @Test
    void theExampleFileIsValid() {
        ConfigTree tree = ConfigTree.read(Path.of("gateway.example.yaml"));
        ServerConfig server = ServerConfig.from(tree.section("server"));
        GatewayConfig config = GatewayConfig.from(tree.section("gateway"));
        tree.throwIfProblems();
        assertEquals(8080, server.port());
        assertEquals(2, config.routes().size());
        assertEquals("/api/", config.routes().getFirst().pattern());
        assertEquals("change-me-0123456789abcdef", config.auth().apiKeys().get("ci-bot"));
        assertEquals("localhost", config.upstreams().get("search").dns().name());
        assertEquals(50.0, config.rateLimit().ratePerSecond());
        assertEquals(List.of("127.0.0.1:6379"), config.rateLimit().redis().nodes());
    }

    @Test
    void aBadFileStopsTheGatewayWithStatus2AndEveryProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                server:
                  port: 99999
                gateway:
                  routes:
                    api: {pattern: /api/, upstream: shop}
                  upstreams:
                    shop: {instances: [127.0.0.1:9000], balancer: random}
                extra: 1
                """);
        Process p = main("--config", file.toString());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "Main exits on a bad file");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), out);
        String f = file.toString();
        assertEquals("""
                gateway: invalid configuration (4 problems):
                  - server.port: must be between 0 and 65535, was 99999 (%1$s:2:3)
                  - gateway.routes: must be a list of routes, was a mapping: write each route as a list item, \
                '- pattern: ...' (the name 'api' is no longer needed) (%1$s:4:3)
                  - gateway.upstreams.shop.balancer: must be one of round-robin, least-outstanding, was "random" \
                (%1$s:7:41)
                  - extra: unknown setting (%1$s:8:1); known sections: server, db, cache, events, gateway
                """.formatted(f), out);
    }

    @Test
    void withoutAGatewaySectionThereIsNothingToServe(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.yaml"), "server: {port: 0}\n");
        Process p = main("--config", file.toString());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "Main exits without a gateway section");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), out);
        assertEquals("""
                gateway: invalid configuration (1 problem):
                  - gateway: must be set: the routes and the upstreams they go to (gateway/gateway.example.yaml is an \
                example)
                """, out);
    }

    /** {@link Main} in a process of its own, with no WEFT_ variables from this one; output and errors merged. */
    private static Process main(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("WEFT_") || k.equals("PORT"));
        return pb.start();
    }
}
