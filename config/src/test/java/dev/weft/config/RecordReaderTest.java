package dev.weft.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RecordReaderTest {
    enum Mode { LOCAL, REMOTE_ONLY }

    record Limits(int count, long maxBodyBytes, int maxHeaderBytes) {
        static Limits defaults() {
            return new Limits(10, 1024, 512);
        }
    }

    /** A nested record with a reading of its own: {@code on} defaults to whether a name is given. */
    record Tls(boolean on, String name) {
        static Tls from(ConfigSection s) {
            String name = s.string("name", null);
            return new Tls(s.bool("on", name != null), name);
        }
    }

    record Route(String pattern, int retries) {
        static Route defaults() {
            return new Route(null, 1);
        }
    }

    record Settings(String host, int port, long total, double ratio, boolean log, Duration timeout, Path file,
                    Mode mode, List<String> nodes, List<Duration> delays, Limits limits, Tls tls, Limits optional,
                    List<Route> routes, Map<String, Limits> named, Map<String, String> keys) {
        static Settings defaults() {
            return new Settings("0.0.0.0", 8080, 5L, 0.5, false, Duration.ofSeconds(1), null, Mode.LOCAL,
                    List.of("a:1"), List.of(Duration.ofSeconds(1)), Limits.defaults(), new Tls(false, null), null,
                    List.of(), Map.of(), Map.of());
        }
    }

    @Test
    void anEmptySectionGivesTheDefaults() {
        assertEquals(Settings.defaults(), ConfigTree.empty().root().read(Settings.class, Settings.defaults()));
    }

    @Test
    void everyComponentIsASettingOfItsName() {
        ConfigTree t = ConfigTree.parse("s.yaml", """
                host: 127.0.0.1
                port: 9090
                total: 3000000000
                ratio: 0.25
                log: true
                timeout: 250ms
                file: /etc/x.pem
                mode: remote-only
                nodes: [b:2, c:3]
                delays: [1s, 1m]
                limits: {count: 3, maxBodyBytes: 1MiB, maxHeaderBytes: 16KiB}
                tls: {name: x}
                optional: {count: 1}
                routes:
                  - pattern: /a
                  - {pattern: /b, retries: 3}
                named:
                  one: {count: 7}
                keys: {ci: k1}
                """).withOverrides(Map.of("WEFT_ROUTES_1_RETRIES", "4", "WEFT_NAMED_ONE_MAX_BODY_BYTES", "2KiB"),
                Map.of());
        Settings s = t.root().read(Settings.class, Settings.defaults());
        t.throwIfProblems();
        assertEquals(new Settings("127.0.0.1", 9090, 3_000_000_000L, 0.25, true, Duration.ofMillis(250),
                Path.of("/etc/x.pem"), Mode.REMOTE_ONLY, List.of("b:2", "c:3"),
                List.of(Duration.ofSeconds(1), Duration.ofMinutes(1)), new Limits(3, 1 << 20, 16 << 10),
                new Tls(true, "x"), new Limits(1, 1024, 512),
                List.of(new Route("/a", 1), new Route("/b", 4)), Map.of("one", new Limits(7, 2048, 512)),
                Map.of("ci", "k1")), s);
    }

    @Test
    void anOptionalRecordIsNullUntilItsSectionIsPresent() {
        assertNull(ConfigTree.empty().root().read(Settings.class, Settings.defaults()).optional());
        ConfigTree byEnv = ConfigTree.empty().withOverrides(Map.of("WEFT_OPTIONAL_COUNT", "2"), Map.of());
        assertEquals(new Limits(2, 1024, 512), byEnv.root().read(Settings.class, Settings.defaults()).optional());
    }

    @Test
    void problemsAndUnknownKeysAsWithTheAccessors() {
        ConfigTree t = ConfigTree.parse("s.yaml", "port: x\nlimits: {maxBodyBytes: 1 parsec, cout: 1}\nhots: a\n");
        t.root().read(Settings.class, Settings.defaults());
        ConfigException e = assertThrows(ConfigException.class, t::throwIfProblems);
        assertEquals(List.of(
                "port: must be an integer, was \"x\" (s.yaml:1:1)",
                "limits.maxBodyBytes: unknown unit \"parsec\": " + Units.SIZE_HINT + ", was \"1 parsec\" (s.yaml:2:10)",
                "limits.cout: unknown setting (s.yaml:2:34); known settings: count, maxBodyBytes, maxHeaderBytes",
                "hots: unknown setting (s.yaml:3:1); known settings: host, port, total, ratio, log, timeout, file,"
                        + " mode, nodes, delays, limits, tls, optional, routes, named, keys"), e.problems());
    }

    @Test
    void theSettingsReadAreListedForTheReference() {
        ConfigTree t = ConfigTree.empty();
        t.section("x").read(Limits.class, Limits.defaults());
        assertEquals(List.of(new ConfigTree.Setting("x.count", "integer", "10"),
                new ConfigTree.Setting("x.maxBodyBytes", "size", "1024"),
                new ConfigTree.Setting("x.maxHeaderBytes", "size", "512")), t.settingsRead());
    }

    record Pool(Integer size, Integer minimumIdle) {}

    @Test
    void aBoxedSettingWithoutADefaultIsNullUnlessSet() {
        assertEquals(new Pool(null, null), ConfigTree.empty().root().read(Pool.class, new Pool(null, null)));
        ConfigTree t = ConfigTree.parse("p.yaml", "size: 4\n");
        assertEquals(new Pool(4, null), t.root().read(Pool.class, new Pool(null, null)));
        t.throwIfProblems();
        ConfigTree bad = ConfigTree.parse("p.yaml", "size: many\n");
        assertEquals(new Pool(null, null), bad.root().read(Pool.class, new Pool(null, null)),
                "a value that does not read leaves it unset, for validation not to judge a made-up one");
        assertEquals(List.of("size: must be an integer, was \"many\" (p.yaml:1:1)"), bad.problems().list());
    }

    record Keys(URI jwksUrl) {}

    @Test
    void aUriIsReadAndAMalformedOneIsAProblem() {
        assertEquals(new Keys(URI.create("https://id.example.com/jwks.json")), ConfigTree.parse("k.yaml",
                "jwksUrl: https://id.example.com/jwks.json").read(s -> s.read(Keys.class, new Keys(null))));
        assertEquals(new Keys(URI.create("http://x")), ConfigTree.of(Map.of("jwksUrl", URI.create("http://x")))
                .read(s -> s.read(Keys.class, new Keys(null))), "a typed value, in code");
        List<String> problems = assertThrows(ConfigException.class, () -> ConfigTree.parse("k.yaml",
                "jwksUrl: 'https://id example.com'").read(s -> s.read(Keys.class, new Keys(null)))).problems();
        assertEquals(List.of("jwksUrl: must be a URI (Illegal character in authority), was \"https://id example.com\""
                + " (k.yaml:1:1)"), problems);
    }

    record Timeout(Duration timeout) {
        static Timeout defaults() {
            return new Timeout(Duration.ofSeconds(1));
        }

        static Timeout from(ConfigSection s) {
            return s.read(Timeout.class, defaults(), Timeout::validate);
        }

        void validate(String path, Problems problems) {
            problems.positive(path + ".timeout", timeout);
        }
    }

    @Test
    void aRecordIsReadAndValidatedUnderItsSectionsPath() {
        ConfigTree t = ConfigTree.parse("t.yaml", "client:\n  timeout: 0s\n");
        assertEquals(List.of("client.timeout: must be positive, was 0s (t.yaml:2:3)"),
                assertThrows(ConfigException.class, () -> t.read("client", Timeout::from)).problems());
        assertEquals(new Timeout(Duration.ofSeconds(5)),
                ConfigTree.parse("t.yaml", "client: {timeout: 5s}").read("client", Timeout::from));
        assertEquals(List.of("timeout: must be positive, was 0s"), assertThrows(ConfigException.class,
                () -> ConfigTree.of(Map.of("timeout", Duration.ZERO)).read(Timeout::from)).problems(), "at the root");
    }

    record Unreadable(Object thing) {}

    @Test
    void aComponentOfNoKnownTypeIsAProgrammingError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConfigTree.empty().root().read(Unreadable.class, new Unreadable(1)));
        assertEquals("a setting of type class java.lang.Object (.thing) has no reading rule", e.getMessage());
    }
}
