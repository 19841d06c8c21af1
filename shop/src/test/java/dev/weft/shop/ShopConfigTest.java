package dev.weft.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.weft.http.ConfigException;
import dev.weft.http.ServerConfig;

class ShopConfigTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void withoutFileOrVariablesTheDefaultsServeOnAllInterfacesAt8080() {
        ServerConfig c = ShopConfig.load(new String[0], Map.of()).server();
        assertEquals(ServerConfig.defaults(), c);
        assertEquals("0.0.0.0", c.host());
        assertEquals(8080, c.port());
    }

    @Test
    void theFileComesFromTheArgumentOrWeftConfig() throws Exception {
        Path a = file("a.yaml", "server:\n  port: 9001\n");
        Path b = file("b.json", "{\"server\": {\"port\": 9002, \"shutdownTimeout\": \"3s\"}}");
        assertEquals(9001, ShopConfig.load(new String[] {"--config", a.toString()}, Map.of()).server().port());
        assertEquals(9001, ShopConfig.load(new String[] {"--config=" + a}, Map.of()).server().port());
        ServerConfig fromEnv = ShopConfig.load(new String[0], Map.of("WEFT_CONFIG", b.toString())).server();
        assertEquals(9002, fromEnv.port());
        assertEquals(Duration.ofSeconds(3), fromEnv.shutdownTimeout());
        // The argument wins over the variable.
        assertEquals(9001, ShopConfig.load(new String[] {"--config", a.toString()},
                Map.of("WEFT_CONFIG", b.toString())).server().port());
    }

    @Test
    void portOverridesTheFileAndTheWeftVariable() throws Exception {
        Path a = file("a.yaml", "server:\n  port: 9001\n");
        assertEquals(7000, ShopConfig.load(new String[] {"--config", a.toString()},
                Map.of("PORT", "7000", "WEFT_SERVER_PORT", "7001")).server().port());
        assertEquals(7001, ShopConfig.load(new String[] {"--config", a.toString()},
                Map.of("WEFT_SERVER_PORT", "7001")).server().port());
    }

    @Test
    void everyProblemIsReportedTogether() throws Exception {
        Path bad = file("bad.yaml", "sever:\n  port: 1\nserver:\n  readHeaderTimeout: soon\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ShopConfig.load(
                new String[] {"--config", bad.toString(), "--verbose"}, Map.of("PORT", "http")));
        assertEquals(List.of(
                "argument --verbose: unknown; usage: shop [--config FILE]",
                "sever: unknown setting (" + bad + ":1); known settings: server, db, cache, events, catalog",
                "server.readHeaderTimeout: not a duration: use a number and a unit (ns, us, ms, s, m, h), like 500ms, "
                        + "10s, 2m or 1h30m, was \"soon\" (" + bad + ":4)",
                "PORT: must be a port number, was \"http\""), e.problems());
    }

    @Test
    void anOutOfRangePortSaysWhereItCameFrom() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ShopConfig.load(new String[0], Map.of("PORT", "99999")));
        assertEquals(List.of("server.port: must be between 0 and 65535, was 99999 (from PORT)"), e.problems());
    }

    @Test
    void aMissingFileIsAProblem() {
        Path missing = dir.resolve("missing.yaml");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ShopConfig.load(new String[] {"--config", missing.toString()}, Map.of()));
        assertEquals(List.of(missing + ": no such file"), e.problems());
    }
}
