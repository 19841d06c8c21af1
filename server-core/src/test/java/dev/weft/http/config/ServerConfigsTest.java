package dev.weft.http.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.weft.http.ConfigException;
import dev.weft.http.ServerConfig;

class ServerConfigsTest {
    private static ServerConfig build(String yaml, Map<String, String> env) {
        return ServerConfigs.from(ConfigFile.parse(yaml, "weft.yaml", env).section("server"));
    }

    private static List<String> problems(String yaml, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> build(yaml, env)).problems();
    }

    @Test
    void noFileGivesTheDefaults() {
        assertEquals(ServerConfig.defaults(),
                ServerConfigs.from(ConfigFile.environmentOnly(Map.of()).section("server")));
        assertEquals(ServerConfig.defaults(), build("other:\n  x: 1\n", Map.of()));
    }

    @Test
    void everyKeyIsRead(@TempDir Path dir) throws Exception {
        Path keystore = Files.writeString(dir.resolve("server.p12"), "not really");
        ServerConfig c = build(String.join("\n",
                "server:",
                "  host: 127.0.0.1",
                "  port: 9090",
                "  readHeaderTimeout: 5s",
                "  readTimeout: 30s",
                "  writeTimeout: 1m",
                "  idleTimeout: 2m30s",
                "  maxRequestLineBytes: 4KiB",
                "  maxHeaderBytes: 32KiB",
                "  maxBodyBytes: 1MiB",
                "  maxConnections: 500",
                "  backlog: 128",
                "  maxDrainBytes: 64KiB",
                "  executor: platform",
                "  platformThreads: 50",
                "  shutdownTimeout: 15s",
                "  accessLog: true",
                "  serverHeader: ''",
                "  tls:",
                "    keystore: " + keystore,
                "    keystorePassword: \"s3cret\"",
                ""), Map.of());
        ServerConfig expected = ServerConfig.defaults().toBuilder()
                .host("127.0.0.1").port(9090)
                .readHeaderTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(30))
                .writeTimeout(Duration.ofMinutes(1)).idleTimeout(Duration.ofSeconds(150))
                .maxRequestLineBytes(4096).maxHeaderBytes(32768).maxBodyBytes(1 << 20)
                .maxConnections(500).backlog(128).maxDrainBytes(65536)
                .executor(ServerConfig.ExecutorKind.PLATFORM).platformThreads(50)
                .shutdownTimeout(Duration.ofSeconds(15)).accessLog(true).serverHeader("")
                .tls(ServerConfig.TlsConfig.pkcs12(keystore, "s3cret"))
                .build();
        assertEquals(expected, c);
    }

    @Test
    void theReadmeExampleIsTheDefaults() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("```yaml\n", readme.indexOf("**Example**"));
        String yaml = readme.substring(start + "```yaml\n".length(), readme.indexOf("```\n", start + 7));
        assertEquals(ServerConfig.defaults(), build(yaml, Map.of()));
    }

    @Test
    void jsonWorksTheSame() {
        ServerConfig c = ServerConfigs.from(ConfigFile.parse(
                "{\"server\": {\"port\": 9000, \"maxBodyBytes\": 2048, \"accessLog\": true, \"idleTimeout\": \"5s\"}}",
                "weft.json", Map.of()).section("server"));
        assertEquals(9000, c.port());
        assertEquals(2048, c.maxBodyBytes());
        assertEquals(true, c.accessLog());
        assertEquals(Duration.ofSeconds(5), c.idleTimeout());
    }

    @Test
    void environmentOverridesTheFile() {
        ServerConfig c = build("server:\n  port: 9090\n  readHeaderTimeout: 5s\n",
                Map.of("WEFT_SERVER_READ_HEADER_TIMEOUT", "2s", "WEFT_SERVER_MAX_CONNECTIONS", "77",
                        "WEFT_SERVER_ACCESS_LOG", "TRUE"));
        assertEquals(9090, c.port());
        assertEquals(Duration.ofSeconds(2), c.readHeaderTimeout());
        assertEquals(77, c.maxConnections());
        assertEquals(true, c.accessLog());
    }

    record Case(String name, String yaml, Map<String, String> env, List<String> problems) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> invalid() {
        return Stream.of(
                new Case("port out of range", "server:\n  port: 70000\n", Map.of(),
                        List.of("server.port: must be between 0 and 65535, was 70000 (weft.yaml:2)")),
                new Case("port from the environment", "", Map.of("WEFT_SERVER_PORT", "-1"),
                        List.of("server.port: must be between 0 and 65535, was -1 (from WEFT_SERVER_PORT)")),
                new Case("negative timeout", "server:\n  idleTimeout: -5s\n", Map.of(),
                        List.of("server.idleTimeout: must be positive, was PT-5S (weft.yaml:2)")),
                new Case("TLS on without a keystore", "server:\n  tls:\n    enabled: true\n", Map.of(),
                        List.of("server.tls: enabled without a keystore or certificate and private key")),
                new Case("missing keystore file", "server:\n  tls:\n    keystore: /nonexistent/k.p12\n", Map.of(),
                        List.of("server.tls.keystore: file /nonexistent/k.p12 does not exist or is not readable "
                                + "(weft.yaml:3)")),
                new Case("unknown key, known ones listed", "server:\n  prot: 1\n", Map.of(),
                        List.of("server.prot: unknown setting (weft.yaml:2); known settings: "
                                + String.join(", ", ServerConfigs.KEYS))),
                new Case("unknown environment variable", "", Map.of("WEFT_SERVER_PROT", "1"),
                        List.of("WEFT_SERVER_PROT: environment variable for an unknown setting under server; known "
                                + "settings: " + String.join(", ", ServerConfigs.KEYS))),
                new Case("unknown tls key", "server:\n  tls:\n    keystor: x\n", Map.of(),
                        List.of("server.tls.keystor: unknown setting (weft.yaml:3); known settings: "
                                + String.join(", ", ServerConfigs.TLS_KEYS))),
                new Case("server is not a mapping", "server: 8080\n", Map.of(),
                        List.of("server: must be a mapping of settings, was \"8080\" (weft.yaml:1)")),
                new Case("everything at once: syntax, values, unknown keys and validation", String.join("\n",
                        "server:",
                        "  port: eighty",
                        "  readHeaderTimeout: 10",
                        "  readTimeout: 30s",
                        "  maxHeaderBytes: 100",
                        "  executor: fibers",
                        "  extra: [1]",
                        "  bogus: 1",
                        ""), Map.of(), List.of(
                        "weft.yaml:7: flow collections ([a, b] or {a: b}) are not supported: use block style, one "
                                + "'- item' or 'key: value' per line",
                        "server.port: must be an integer, was \"eighty\" (weft.yaml:2)",
                        "server.readHeaderTimeout: missing unit: " + Units.DURATION_HINT + ", was \"10\" "
                                + "(weft.yaml:3)",
                        "server.executor: must be one of virtual, platform, was \"fibers\" (weft.yaml:6)",
                        "server.extra: unknown setting (weft.yaml:7); known settings: "
                                + String.join(", ", ServerConfigs.KEYS),
                        "server.bogus: unknown setting (weft.yaml:8); known settings: "
                                + String.join(", ", ServerConfigs.KEYS),
                        "server.maxHeaderBytes: must be at least 256, was 100 (weft.yaml:5)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void everyProblemIsReportedAtOnceWithItsPath(Case c) {
        assertEquals(c.problems(), problems(c.yaml(), c.env()));
    }

    @Test
    void pemFilesEnableTls(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        ServerConfig c = build("server:\n  tls:\n    certificate: " + cert + "\n    privateKey: " + key + "\n",
                Map.of());
        assertEquals(ServerConfig.TlsConfig.pem(cert, key), c.tls());
        ServerConfig off = build("server:\n  tls:\n    enabled: false\n    certificate: " + cert + "\n"
                + "    privateKey: " + key + "\n", Map.of());
        assertEquals(false, off.tls().enabled());
    }

    @Test
    void applyLeavesValidationToTheCaller() {
        ConfigFile f = ConfigFile.parse("server:\n  port: 70000\n", "weft.yaml", Map.of());
        ServerConfig c = ServerConfigs.apply(f.section("server"), ServerConfig.defaults().toBuilder())
                .port(8081).build();
        f.addProblems(c.validate());
        assertEquals(List.of(), f.problems());
    }
}
