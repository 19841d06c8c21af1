package dev.weft.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.weft.gateway.config.GatewayConfig;
import dev.weft.http.config.ConfigFile;

/** The example file shipped with the module is read by the same code as the standalone gateway's. */
class MainConfigTest {
    @Test
    void theExampleFileIsValid() {
        ConfigFile file = ConfigFile.load(Path.of("gateway.example.yaml"), Map.of());
        GatewayConfig config = GatewayConfig.from(file.section("gateway"));
        assertTrue(file.problems().isEmpty(), file.problems().toString());
        assertEquals(2, config.routes().size());
        assertEquals("/api/", config.routes().getFirst().pattern());
        assertEquals("ci-bot", config.auth().apiKeys().get("change-me-0123456789abcdef"));
        assertEquals("localhost", config.upstreams().get("search").dns().name());
        assertEquals(50.0, config.rateLimit().ratePerSecond());
    }
}
