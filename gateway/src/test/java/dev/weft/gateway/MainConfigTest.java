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

/** The standalone gateway's file: the example shipped with the module, and what a bad file does to {@link Main}. */
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                file.toString()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "Main exits on a bad file");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), out);
        String f = file.toString();
        assertEquals("""
                gateway: cannot start, the configuration has 4 problems:
                  server.port: must be between 0 and 65535, was 99999 (%1$s:2:3)
                  gateway.routes: must be a list of routes, was a mapping: write each route as a list item, \
                '- pattern: ...' (the name 'api' is no longer needed) (%1$s:4:3)
                  gateway.upstreams.shop.balancer: must be one of round-robin, least-outstanding, was "random" \
                (%1$s:7:41)
                  extra: unknown setting (%1$s:8:1); known sections: server, gateway
                """.formatted(f), out);
    }
}
