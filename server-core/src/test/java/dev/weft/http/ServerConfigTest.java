package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.weft.config.ConfigException;
import dev.weft.config.ConfigTree;
import dev.weft.config.Problems;
import dev.weft.http.ServerConfig.ExecutorKind;
import dev.weft.http.ServerConfig.TlsConfig;
import dev.weft.testkit.RecordReading;

/** {@link ServerConfig#from} and {@link ServerConfig#validate}: the {@code server} section as a service reads it. */
class ServerConfigTest {
    /** The record's components: the keys {@code from} must read, known without a list kept by hand. */
    private static final String SERVER_KEYS = keys(ServerConfig.class);

    private static String keys(Class<? extends Record> type) {
        return String.join(", ", Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList());
    }

    /** Reads the {@code server} section of {@code tree}, or throws every problem of the tree. */
    private static ServerConfig read(ConfigTree tree) {
        return tree.read(root -> ServerConfig.from(root.section("server")));
    }

    private static ServerConfig read(String yaml, Map<String, String> env, Map<String, String> properties) {
        return read(ConfigTree.parse("weft.yaml", yaml).withOverrides(env, properties));
    }

    private static List<String> problems(String yaml, Map<String, String> env, Map<String, String> properties) {
        return assertThrows(ConfigException.class, () -> read(yaml, env, properties)).problems();
    }

    @Test
    void noSectionGivesTheDefaults() {
        assertEquals(ServerConfig.defaults(), read(ConfigTree.empty()));
        assertEquals(ServerConfig.defaults(), read("server:\n", Map.of(), Map.of()));
        assertEquals(ServerConfig.defaults(), ConfigTree.of(Map.of()).read(ServerConfig::from));
        assertEquals(TlsConfig.disabled(), ServerConfig.defaults().tls());
    }

    /** Where the settings of {@link #everyKeyIsReadFromEachSource} come from. */
    enum Source { FILE, ENVIRONMENT, PROPERTIES }

    @ParameterizedTest
    @EnumSource(Source.class)
    void everyKeyIsReadFromEachSource(Source source, @TempDir Path dir) throws Exception {
        Path keystore = Files.writeString(dir.resolve("server.p12"), "not really");
        // key, WEFT_ variable, value as text
        String[][] settings = {
                {"host", "WEFT_SERVER_HOST", "127.0.0.1"},
                {"port", "WEFT_SERVER_PORT", "9090"},
                {"readHeaderTimeout", "WEFT_SERVER_READ_HEADER_TIMEOUT", "5s"},
                {"readTimeout", "WEFT_SERVER_READ_TIMEOUT", "30s"},
                {"writeTimeout", "WEFT_SERVER_WRITE_TIMEOUT", "45s"},
                {"idleTimeout", "WEFT_SERVER_IDLE_TIMEOUT", "2m30s"},
                {"maxRequestLineBytes", "WEFT_SERVER_MAX_REQUEST_LINE_BYTES", "4KiB"},
                {"maxHeaderBytes", "WEFT_SERVER_MAX_HEADER_BYTES", "32KiB"},
                {"maxBodyBytes", "WEFT_SERVER_MAX_BODY_BYTES", "1MiB"},
                {"maxConnections", "WEFT_SERVER_MAX_CONNECTIONS", "500"},
                {"maxConcurrentStreams", "WEFT_SERVER_MAX_CONCURRENT_STREAMS", "50"},
                {"backlog", "WEFT_SERVER_BACKLOG", "128"},
                {"maxDrainBytes", "WEFT_SERVER_MAX_DRAIN_BYTES", "64KiB"},
                {"executor", "WEFT_SERVER_EXECUTOR", "platform"},
                {"platformThreads", "WEFT_SERVER_PLATFORM_THREADS", "50"},
                {"shutdownTimeout", "WEFT_SERVER_SHUTDOWN_TIMEOUT", "15s"},
                {"accessLog", "WEFT_SERVER_ACCESS_LOG", "true"},
                {"serverHeader", "WEFT_SERVER_SERVER_HEADER", ""},
                {"tls.keystore", "WEFT_SERVER_TLS_KEYSTORE", keystore.toString()},
                {"tls.keystorePassword", "WEFT_SERVER_TLS_KEYSTORE_PASSWORD", "s3cret"},
        };
        StringBuilder yaml = new StringBuilder("server:\n");
        StringBuilder tls = new StringBuilder("  tls:\n");
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> properties = new LinkedHashMap<>();
        for (String[] s : settings) {
            String line = s[0].replace("tls.", "") + ": " + (s[2].isEmpty() ? "''" : s[2]) + "\n";
            if (s[0].startsWith("tls.")) {
                tls.append("    ").append(line);
            } else {
                yaml.append("  ").append(line);
            }
            env.put(s[1], s[2]);
            properties.put("weft.server." + s[0], s[2]);
        }
        ServerConfig c = switch (source) {
            case FILE -> read(yaml.append(tls).toString(), Map.of(), Map.of());
            case ENVIRONMENT -> read("", env, Map.of());
            case PROPERTIES -> read("", Map.of(), properties);
        };
        assertEquals(new ServerConfig("127.0.0.1", 9090, Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(45), Duration.ofSeconds(150), 4096, 32768, 1 << 20, 500, 50, 128, 65536,
                ExecutorKind.PLATFORM, 50, Duration.ofSeconds(15), true, "",
                TlsConfig.pkcs12(keystore, "s3cret")), c);
    }

    @Test
    void yamlValuesKeepTheirTypesAndJsonReadsTheSame() {
        String yaml = "server:\n  port: 9000\n  maxBodyBytes: 2048\n  accessLog: true\n  idleTimeout: 5s\n";
        String json = "{\"server\": {\"port\": 9000, \"maxBodyBytes\": 2048, \"accessLog\": true, "
                + "\"idleTimeout\": \"5s\"}}";
        ServerConfig expected = ConfigTree.of(Map.of("port", 9000, "maxBodyBytes", 2048, "accessLog", true,
                "idleTimeout", Duration.ofSeconds(5))).read(ServerConfig::from);
        assertEquals(9000, expected.port());
        assertEquals(2048, expected.maxBodyBytes());
        assertEquals(true, expected.accessLog());
        assertEquals(Duration.ofSeconds(5), expected.idleTimeout());
        assertEquals(expected, read(yaml, Map.of(), Map.of()));
        assertEquals(expected, read(ConfigTree.parse("weft.json", json)));
    }

    @Test
    void theEnvironmentOverridesTheFileAndPropertiesTheEnvironment() {
        ServerConfig c = read("server:\n  port: 9090\n  readHeaderTimeout: 5s\n  maxConnections: 100\n",
                Map.of("WEFT_SERVER_READ_HEADER_TIMEOUT", "2s", "WEFT_SERVER_MAX_CONNECTIONS", "77",
                        "WEFT_SERVER_ACCESS_LOG", "TRUE"),
                Map.of("weft.server.maxConnections", "88"));
        assertEquals(9090, c.port(), "from the file");
        assertEquals(Duration.ofSeconds(2), c.readHeaderTimeout(), "the environment over the file");
        assertEquals(true, c.accessLog(), "the environment alone");
        assertEquals(88, c.maxConnections(), "the property over the environment and the file");
    }

    @Test
    void portIsOverEverything() {
        String yaml = "server:\n  port: 9090\n";
        Map<String, String> properties = Map.of("weft.server.port", "9092");
        assertEquals(9093, read(yaml, Map.of("WEFT_SERVER_PORT", "9091", "PORT", "9093"), properties).port());
        assertEquals(9092, read(yaml, Map.of("WEFT_SERVER_PORT", "9091", "PORT", " "), properties).port(),
                "a blank PORT counts as unset");
        assertEquals(9093, read("", Map.of("PORT", "9093"), Map.of()).port());
        assertEquals(List.of("server.port: must be an integer, was \"http\" (from PORT)"),
                problems(yaml, Map.of("PORT", "http"), properties));
        assertEquals(List.of("server.port: must be between 0 and 65535, was 70000 (from PORT)"),
                problems(yaml, Map.of("PORT", "70000"), Map.of()));
    }

    @Test
    void namingAFileTurnsTlsOn(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        Path keystore = Files.writeString(dir.resolve("server.p12"), "x");
        String pem = "server:\n  tls:\n    certificate: " + cert + "\n    privateKey: " + key + "\n";
        assertEquals(TlsConfig.pem(cert, key), read(pem, Map.of(), Map.of()).tls());
        assertEquals(TlsConfig.pkcs12(keystore, null),
                read("", Map.of("WEFT_SERVER_TLS_KEYSTORE", keystore.toString()), Map.of()).tls());
        ServerConfig off = read(pem + "    enabled: false\n", Map.of(), Map.of());
        assertEquals(new TlsConfig(false, null, null, cert, key), off.tls(), "enabled: false wins");
        assertFalse(read(pem, Map.of("WEFT_SERVER_TLS_ENABLED", "false"), Map.of()).tls().enabled());
        assertEquals(TlsConfig.pem(cert, key), read("", Map.of(), Map.of("weft.server.tls.enabled", "true",
                "weft.server.tls.certificate", cert.toString(), "weft.server.tls.privateKey", key.toString())).tls());
    }

    @Test
    void tlsProblemsNameTheSettingToChange(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path keystore = Files.writeString(dir.resolve("server.p12"), "x");
        assertEquals(List.of("server.tls.enabled: must be false without a keystore, or a certificate and a private "
                        + "key (weft.yaml:3:5)"),
                problems("server:\n  tls:\n    enabled: true\n", Map.of(), Map.of()));
        assertEquals(List.of("server.tls.privateKey: must be set"),
                problems("server:\n  tls:\n    certificate: " + cert + "\n", Map.of(), Map.of()));
        assertEquals(List.of("server.tls.certificate: must be set",
                        "server.tls.privateKey: must name a readable file, was /nonexistent/key.pem (missing or not "
                                + "readable) (from WEFT_SERVER_TLS_PRIVATE_KEY)"),
                problems("", Map.of("WEFT_SERVER_TLS_PRIVATE_KEY", "/nonexistent/key.pem"), Map.of()));
        assertEquals(List.of("server.tls.keystore: must not be set together with certificate or privateKey: use a "
                        + "keystore or PEM files (weft.yaml:3:5)"),
                problems("server:\n  tls:\n    keystore: " + keystore + "\n    certificate: " + cert + "\n",
                        Map.of(), Map.of()));
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsOrigin() {
        String yaml = String.join("\n",
                "server:",
                "  port: eighty",
                "  readHeaderTimeout: 10",
                "  maxHeaderBytes: 100",
                "  executor: fibers",
                "  bogus: 1",
                "  tls:",
                "    keystore: /nonexistent/server.p12",
                "    keystorPassword: x",
                "");
        ConfigException e = assertThrows(ConfigException.class, () -> read(yaml,
                Map.of("WEFT_SERVER_IDLE_TIMEOUT", "-5s", "WEFT_SERVER_MAX_CONECTIONS", "5", "HOME", "/root"),
                Map.of("weft.server.backlog", "lots")));
        assertEquals(List.of(
                "server.port: must be an integer, was \"eighty\" (weft.yaml:2:3)",
                "server.readHeaderTimeout: must be a duration with a unit: use a number and a unit (ns, us, ms, s, m, "
                        + "h), like 500ms, 10s, 2m or 1h30m, was 10 (weft.yaml:3:3)",
                "server.backlog: must be an integer, was \"lots\" (from -Dweft.server.backlog)",
                "server.executor: must be one of virtual, platform, was \"fibers\" (weft.yaml:5:3)",
                "server.idleTimeout: must be positive, was -5s (from WEFT_SERVER_IDLE_TIMEOUT)",
                "server.maxHeaderBytes: must be at least 256, was 100 (weft.yaml:4:3)",
                "server.tls.keystore: must name a readable file, was /nonexistent/server.p12 (missing or not readable)"
                        + " (weft.yaml:8:5)",
                "server.bogus: unknown setting (weft.yaml:6:3); known settings: " + SERVER_KEYS,
                "server.tls.keystorPassword: unknown setting (weft.yaml:9:5); known settings: keystore, certificate, "
                        + "privateKey, enabled, keystorePassword",
                "WEFT_SERVER_MAX_CONECTIONS: environment variable for no setting under server; known settings: "
                        + SERVER_KEYS), e.problems());
        assertEquals("invalid configuration (10 problems):\n  - server.port: must be an integer, was \"eighty\" "
                + "(weft.yaml:2:3)", e.getMessage().lines().limit(2).reduce((a, b) -> a + "\n" + b).orElseThrow());
    }

    @Test
    void unknownKeysAreFoundFromWhatFromReads() {
        List<String> p = problems("server:\n  prot: 1\n  tls:\n    keystor: x\n",
                Map.of("WEFT_SERVER_TLS_PASSWORD", "x"), Map.of("weft.server.hots", "h"));
        assertEquals(4, p.size(), p::toString);
        assertEquals("server.prot: unknown setting (weft.yaml:2:3); known settings: " + SERVER_KEYS, p.get(0));
        String tls = "server.tls.keystor: unknown setting (weft.yaml:4:5); known settings: ";
        assertEquals(tls, p.get(1).substring(0, tls.length()));
        assertEquals(new TreeSet<>(Set.of(keys(TlsConfig.class).split(", "))),
                new TreeSet<>(Set.of(p.get(1).substring(tls.length()).split(", "))),
                "every component of TlsConfig is a known key of server.tls, and nothing else");
        assertEquals("WEFT_SERVER_TLS_PASSWORD: environment variable for no setting under server.tls; known "
                + "settings: " + p.get(1).substring(tls.length()), p.get(2));
        assertEquals("-Dweft.server.hots: system property for no setting under server; known settings: "
                + SERVER_KEYS, p.get(3));
        assertEquals(List.of("server: must be a mapping of settings, was 8080 (weft.yaml:1:1)"),
                problems("server: 8080\n", Map.of(), Map.of()));
    }

    @Test
    void validateAddsEveryProblemUnderItsPath() {
        ServerConfig d = ServerConfig.defaults();
        ServerConfig bad = new ServerConfig(" ", -1, Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ZERO,
                Duration.ofSeconds(-1), 10, 100, -1, 0, 0, 0, -1, ExecutorKind.PLATFORM, 0, Duration.ZERO, false, null,
                null);
        Problems problems = new Problems();
        bad.validate("server", problems);
        assertEquals(List.of(
                "server.host: must be set",
                "server.port: must be between 0 and 65535, was -1",
                "server.writeTimeout: must be positive, was 0s",
                "server.idleTimeout: must be positive, was -1s",
                "server.shutdownTimeout: must be positive, was 0s",
                "server.readHeaderTimeout: must not be longer than server.readTimeout (30s), was 1m30s",
                "server.maxRequestLineBytes: must be at least 64, was 10",
                "server.maxHeaderBytes: must be at least 256, was 100",
                "server.maxBodyBytes: must not be negative, was -1",
                "server.maxConnections: must be at least 1, was 0",
                "server.maxConcurrentStreams: must be at least 1, was 0",
                "server.backlog: must be at least 1, was 0",
                "server.maxDrainBytes: must not be negative, was -1",
                "server.platformThreads: must be at least 1, was 0",
                "server.serverHeader: must be set (empty sends none)",
                "server.tls: must be set (TlsConfig.disabled() for plain HTTP)"), problems.list());

        Problems atRoot = new Problems();
        new ServerConfig(d.host(), 70000, d.readHeaderTimeout(), d.readTimeout(), d.writeTimeout(), d.idleTimeout(),
                d.maxRequestLineBytes(), d.maxHeaderBytes(), d.maxBodyBytes(), d.maxConnections(),
                d.maxConcurrentStreams(), d.backlog(), d.maxDrainBytes(), null, 0, d.shutdownTimeout(), d.accessLog(), d.serverHeader(), d.tls())
                .validate("", atRoot);
        assertEquals(List.of("port: must be between 0 and 65535, was 70000", "executor: must be set"),
                atRoot.list(), "platformThreads is checked only for the platform executor");

        Problems none = new Problems();
        d.validate("server", none);
        assertEquals(List.of(), none.list());
    }

    @Test
    void aCrossCheckNamesBothSettings() {
        assertEquals(List.of("server.readHeaderTimeout: must not be longer than server.readTimeout (5s), was 10s "
                        + "(server.readTimeout at weft.yaml:2:3)"),
                problems("server:\n  readTimeout: 5s\n", Map.of(), Map.of()));
        assertEquals(List.of("server.readHeaderTimeout: must not be longer than server.readTimeout (1m), was 1m30s "
                        + "(weft.yaml:2:3)"),
                problems("server:\n  readHeaderTimeout: 90s\n", Map.of(), Map.of()));
    }

    /** The README's block of type {@code kind} ({@code yaml}, {@code text}) after {@code label}. */
    private static String readmeBlock(String label, String kind) throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int labelAt = readme.indexOf(label);
        assertFalse(labelAt < 0, "the README has " + label);
        String fence = "```" + kind + "\n";
        int start = readme.indexOf(fence, labelAt) + fence.length();
        return readme.substring(start, readme.indexOf("```\n", start));
    }

    @Test
    void theReadmeExampleIsTheDefaults() throws Exception {
        assertEquals(ServerConfig.defaults(), read(readmeBlock("**Example**", "yaml"), Map.of(), Map.of()));
    }

    @Test
    void theReadmeShowsWhatTheServerReports() throws Exception {
        String yaml = readmeBlock("**All problems at once.**", "yaml");
        ConfigException e = assertThrows(ConfigException.class,
                () -> read(yaml, Map.of("WEFT_SERVER_IDLE_TIMEOUT", "-5s"), Map.of()));
        assertEquals(readmeBlock("WEFT_SERVER_IDLE_TIMEOUT=-5s", "text"), e.getMessage() + "\n");
    }

    @Test
    void readsLikeItsComponents() {
        RecordReading.assertSpeltOutAsItsComponents(ServerConfig.class, ServerConfig.defaults(), ServerConfig::from);
    }
}
