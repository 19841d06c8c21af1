package dev.weft.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigTreeTest {
    enum Mode { SLOW, MEDIUM_FAST }

    @Test
    void overrideNamesFollowTheDocumentedRule() {
        assertEquals("WEFT_SERVER_READ_HEADER_TIMEOUT", ConfigTree.envName("server.readHeaderTimeout"));
        assertEquals("WEFT_SERVER_TLS_KEYSTORE_PASSWORD", ConfigTree.envName("server.tls.keystorePassword"));
        assertEquals("WEFT_CACHE_L2_TTL", ConfigTree.envName("cache.l2Ttl"));
        assertEquals("WEFT_DB_POOL_MAX_SIZE", ConfigTree.envName("db-pool.max_size"));
        assertEquals("WEFT_GATEWAY_ROUTES_0_TOTAL_TIMEOUT", ConfigTree.envName("gateway.routes[0].totalTimeout"));
        assertEquals("weft.gateway.routes[0].totalTimeout", ConfigTree.propertyName("gateway.routes[0].totalTimeout"));
    }

    @Test
    void fileThenEnvironmentThenPropertiesThenPort() {
        ConfigTree t = ConfigTree.parse("c.yaml", "server:\n  port: 1\n  host: file\n  name: file\n  tag: file\n")
                .withOverrides(Map.of("WEFT_SERVER_HOST", "env", "WEFT_SERVER_NAME", "env", "WEFT_SERVER_PORT", "2",
                                "PORT", "4", "UNRELATED", "x"),
                        Map.of("weft.server.name", "property", "weft.server.port", "3", "java.version", "25"));
        ConfigSection s = t.section("server");
        assertEquals(4, s.integer("port", 0));
        assertEquals("env", s.string("host", null));
        assertEquals("property", s.string("name", null));
        assertEquals("file", s.string("tag", null));
        t.throwIfProblems();
    }

    @Test
    void overridesApplyToSettingsAndSectionsTheFileLacks() {
        ConfigTree t = ConfigTree.parse("c.yaml", "app:\n  size: 1KiB\n").withOverrides(
                Map.of("WEFT_APP_RETRIES", "3", "WEFT_APP_TAGS", "a, b ,c", "WEFT_DB_URL", "jdbc:x",
                        "WEFT_APP_DELAYS", "1s,2m"),
                Map.of("weft.events.mode", "off"));
        ConfigSection app = t.section("app");
        assertEquals(3, app.integer("retries", 0));
        assertEquals(1024, app.size("size", 0));
        assertEquals(List.of("a", "b", "c"), app.strings("tags", List.of()));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofMinutes(2)), app.durations("delays", List.of()));
        ConfigSection db = t.section("db");
        assertTrue(db.isPresent(), "a section set only by the environment is present");
        assertEquals("jdbc:x", db.string("url", null));
        assertTrue(t.section("events").isPresent());
        assertFalse(t.section("cache").isPresent());
        assertTrue(ConfigTree.parse("c.yaml", "db:\n").section("db").isPresent(), "an empty section is present");
        t.section("events").string("mode", null);
        t.throwIfProblems();
    }

    @Test
    void accessorsCollectEveryProblemWithPathValueAndOrigin() {
        ConfigTree t = ConfigTree.parse("c.yaml", String.join("\n",
                "app:",
                "  count: many",
                "  timeout: 10",
                "  on: yes",
                "  mode: fast",
                "  list: one",
                "  nested: flat",
                "  big: 3000000000",
                "  ratio: .nan",
                "")).withOverrides(Map.of("WEFT_APP_LIMIT", "12x"), Map.of("weft.app.port", "eighty"));
        ConfigSection app = t.section("app");
        assertEquals(5, app.integer("count", 5));
        assertEquals(Duration.ofSeconds(1), app.duration("timeout", Duration.ofSeconds(1)));
        assertFalse(app.bool("on", false));
        assertEquals(Mode.SLOW, app.enumValue("mode", Mode.class, Mode.SLOW));
        assertEquals(List.of(), app.strings("list", List.of()));
        assertEquals(7L, app.size("limit", 7));
        app.section("nested");
        assertEquals(0, app.integer("big", 0));
        assertEquals(3_000_000_000L, app.longValue("big", 0));
        assertEquals(1.0, app.decimal("ratio", 1.0));
        assertEquals(80, app.integer("port", 80));
        assertEquals(List.of(
                "app.count: must be an integer, was \"many\" (c.yaml:2:3)",
                "app.timeout: must be a duration with a unit: " + Units.DURATION_HINT + ", was 10 (c.yaml:3:3)",
                "app.on: must be true or false, was \"yes\" (c.yaml:4:3)",
                "app.mode: must be one of slow, medium-fast, was \"fast\" (c.yaml:5:3)",
                "app.list: must be a list of strings, was \"one\" (c.yaml:6:3)",
                "app.limit: unknown unit \"x\": " + Units.SIZE_HINT + ", was \"12x\" (from WEFT_APP_LIMIT)",
                "app.nested: must be a mapping of settings, was \"flat\" (c.yaml:7:3)",
                "app.big: must be an integer between -2147483648 and 2147483647, was 3000000000 (c.yaml:8:3)",
                "app.ratio: must be a decimal number, was NaN (c.yaml:9:3)",
                "app.port: must be an integer, was \"eighty\" (from -Dweft.app.port)"), t.problems().list());
    }

    @Test
    void aBadItemOfAListIsNamed() {
        ConfigTree t = ConfigTree.parse("c.yaml", "delays: [1s, 10]\n");
        assertEquals(List.of(), t.root().durations("delays", List.of()));
        assertEquals(List.of("delays: must be a list of durations; item 2 10: missing unit: " + Units.DURATION_HINT
                + ", was a list (c.yaml:1:1)"), t.problems().list());
    }

    @Test
    void enumsReadInAnyCaseWithHyphens() {
        ConfigTree t = ConfigTree.parse("c.yaml", "a: medium-fast\nb: SLOW\n");
        assertEquals(Mode.MEDIUM_FAST, t.root().enumValue("a", Mode.class, Mode.SLOW));
        assertEquals(Mode.SLOW, t.root().enumValue("b", Mode.class, Mode.MEDIUM_FAST));
        t.throwIfProblems();
    }

    @Test
    void unknownKeysVariablesAndPropertiesAreReportedWithoutAListOfKnownKeys() {
        ConfigTree t = ConfigTree.parse("c.yaml", "app:\n  name: x\n  nmae: y\n  sub:\n    k: 1\n    q: 2\nother: 1\n")
                .withOverrides(Map.of("WEFT_APP_NAEM", "z", "WEFT_APP_SUB_K", "3", "WEFT_UNRELATED_X", "1",
                                "WEFT_CONFIG", "/etc/x.yaml"),
                        Map.of("weft.app.sub.kk", "1", "weft.nothing", "2"));
        ConfigSection app = t.section("app");
        app.string("name", null);
        assertEquals(3, app.section("sub").integer("k", 0));
        ConfigException e = assertThrows(ConfigException.class, t::throwIfProblems);
        assertEquals(List.of(
                "app.nmae: unknown setting (c.yaml:3:3); known settings: name, sub",
                "app.sub.q: unknown setting (c.yaml:6:5); known settings: k",
                "other: unknown setting (c.yaml:7:1); known sections: app",
                "WEFT_APP_NAEM: environment variable for no setting under app; known settings: name, sub",
                "-Dweft.app.sub.kk: system property for no setting under app.sub; known settings: k",
                "-Dweft.nothing: system property for no setting; known sections: app"), e.problems());
    }

    @Test
    void listsOfMappingsAreSectionsNamedByIndex() {
        ConfigTree t = ConfigTree.parse("c.yaml", """
                gateway:
                  routes:
                    - pattern: /a
                      retries: 1
                    - pattern: /b
                      retires: 2
                    - just text
                """).withOverrides(Map.of("WEFT_GATEWAY_ROUTES_0_RETRIES", "5", "WEFT_GATEWAY_ROUTES_7_RETRIES", "1"),
                Map.of());
        List<ConfigSection> routes = t.section("gateway").sections("routes");
        assertEquals(2, routes.size());
        assertEquals("gateway.routes[0]", routes.get(0).path());
        assertEquals(5, routes.get(0).integer("retries", 0));
        routes.forEach(r -> {
            r.string("pattern", null);
            r.integer("retries", 0);
        });
        ConfigException e = assertThrows(ConfigException.class, t::throwIfProblems);
        assertEquals(List.of(
                "gateway.routes[2]: must be a mapping of settings, was \"just text\" (c.yaml:7:7)",
                "gateway.routes[1].retires: unknown setting (c.yaml:6:7); known settings: pattern, retries",
                "WEFT_GATEWAY_ROUTES_7_RETRIES: environment variable for no setting under gateway.routes;"
                        + " known sections: [0], [1], [2]"), e.problems());
    }

    @Test
    void aMappingWhereAListBelongsIsOneProblem() {
        String text = """
                gateway:
                  routes:
                    api: {pattern: /a, retries: 1}
                    web: {pattern: /b}
                  other:
                    a: 1
                """;
        ConfigTree plain = ConfigTree.parse("c.yaml", text);
        assertEquals(List.of(), plain.section("gateway").sections("routes"));
        plain.section("gateway").sections("other");
        assertEquals(List.of(
                "gateway.routes: must be a list of mappings, was a mapping (c.yaml:2:3)",
                "gateway.other: must be a list of mappings, was a mapping (c.yaml:5:3)"),
                assertThrows(ConfigException.class, plain::throwIfProblems).problems());

        ConfigTree hinted = ConfigTree.parse("c.yaml", text);
        hinted.section("gateway").sections("routes", names -> "must be a list, was a mapping of " + names);
        hinted.section("gateway").sections("other", names -> "must be a list, was a mapping of " + names);
        assertEquals(List.of(
                "gateway.routes: must be a list, was a mapping of [api, web] (c.yaml:2:3)",
                "gateway.other: must be a list, was a mapping of [a] (c.yaml:5:3)"),
                assertThrows(ConfigException.class, hinted::throwIfProblems).problems());
    }

    @Test
    void namedChildrenAndStringMaps() {
        ConfigTree t = ConfigTree.parse("c.yaml", "caches:\n  products: {ttl: 5m}\n  users: {ttl: 1m}\n"
                + "keys:\n  ci-bot: k1\n  ops: k2\n").withOverrides(Map.of("WEFT_KEYS_OPS", "k3"), Map.of());
        List<ConfigSection> caches = t.section("caches").children();
        assertEquals(List.of("products", "users"), caches.stream().map(ConfigSection::name).toList());
        assertEquals(Duration.ofMinutes(5), caches.get(0).duration("ttl", null));
        assertEquals(Duration.ofMinutes(1), caches.get(1).duration("ttl", null));
        assertEquals(Map.of("ci-bot", "k1", "ops", "k3"), t.root().stringMap("keys"));
        t.throwIfProblems();
    }

    @Test
    void aTreeOverDefaultsMergesMappingsAndReplacesValues() {
        ConfigTree defaults = ConfigTree.parse("defaults.yaml",
                "db:\n  url: jdbc:h2:mem:x\n  maximumPoolSize: 8\ncache:\n  mode: local\n  nodes: [a:1]\n");
        ConfigTree t = ConfigTree.parse("mine.yaml", "db:\n  url: jdbc:postgresql://h/db\ncache:\n  nodes: [b:2]\n")
                .over(defaults);
        assertEquals("{db={url=jdbc:postgresql://h/db, maximumPoolSize=8}, cache={mode=local, nodes=[b:2]}}",
                t.asMap().toString());
        ConfigSection db = t.section("db");
        db.string("url", null);
        db.integer("maximumPoolSize", 0);
        db.problems().add("db.url", "must be reachable");
        db.problems().add("db.maximumPoolSize", "must be larger");
        assertEquals(List.of("db.url: must be reachable (mine.yaml:2:3)",
                "db.maximumPoolSize: must be larger (defaults.yaml:3:3)"), t.problems().list());
    }

    @Test
    void defaultsGivenInCodeNameTheirOriginAndUnknownKeys() {
        Map<String, Object> db = new java.util.LinkedHashMap<>();
        db.put("url", "jdbc:h2:mem:x");
        db.put("maximumPoolSize", "eight");
        db.put("maxPoolSize", 8);
        ConfigTree t = ConfigTree.parse("mine.yaml", "db:\n  url: jdbc:postgresql://h/db\n")
                .over(ConfigTree.of("the built-in defaults", Map.of("db", db)));
        ConfigSection s = t.section("db");
        s.string("url", null);
        s.integer("maximumPoolSize", 10);
        ConfigException e = assertThrows(ConfigException.class, t::throwIfProblems);
        assertEquals(List.of("db.maximumPoolSize: must be an integer, was \"eight\" (the built-in defaults)",
                "db.maxPoolSize: unknown setting (the built-in defaults); known settings: url, maximumPoolSize"),
                e.problems());
    }

    @Test
    void aProblemBetweenTwoSettingsGivesTheOriginOfEach() {
        ConfigTree t = ConfigTree.parse("c.yaml", "s:\n  readTimeout: 5s\n")
                .withOverrides(Map.of("WEFT_S_LEASE", "1s"), Map.of());
        ConfigSection s = t.section("s");
        Duration header = s.duration("readHeaderTimeout", Duration.ofSeconds(10));
        Duration read = s.duration("readTimeout", Duration.ofSeconds(60));
        Duration lease = s.duration("lease", Duration.ofSeconds(60));
        s.problems().notLongerThan("s.readHeaderTimeout", header, "s.readTimeout", read);
        s.problems().shorterThan("s.publishTimeout", Duration.ofSeconds(10), "s.lease", lease);
        assertEquals(List.of(
                "s.readHeaderTimeout: must not be longer than s.readTimeout (5s), was 10s (s.readTimeout at c.yaml:2:3)",
                "s.publishTimeout: must be shorter than s.lease (1s), was 10s (s.lease from WEFT_S_LEASE)"),
                t.problems().list());
    }

    @Test
    void treesBuiltInCodeTakeTypedValuesAndGetTheSameChecks() {
        ConfigTree t = ConfigTree.of(Map.of("timeout", Duration.ofSeconds(2), "mode", Mode.MEDIUM_FAST,
                "file", Path.of("/x"), "sizes", List.of(1, 2), "nested", Map.of("n", 1)));
        ConfigSection root = t.root();
        assertEquals(Duration.ofSeconds(2), root.duration("timeout", null));
        assertEquals(Mode.MEDIUM_FAST, root.enumValue("mode", Mode.class, Mode.SLOW));
        assertEquals(Path.of("/x"), root.path("file", null));
        assertEquals(List.of("1", "2"), root.strings("sizes", List.of()));
        ConfigException e = assertThrows(ConfigException.class, t::throwIfProblems);
        assertEquals(List.of("nested: unknown section; known settings: timeout, mode, file, sizes"), e.problems());
    }

    record Sample(Duration timeout, int retries) {
        static Sample from(ConfigSection s) {
            Sample r = new Sample(s.duration("timeout", Duration.ofSeconds(1)), s.integer("retries", 3));
            s.problems().positive(s.path().isEmpty() ? "timeout" : s.path() + ".timeout", r.timeout());
            return r;
        }
    }

    @Test
    void readBuildsARecordOrThrowsEveryProblem() {
        assertEquals(new Sample(Duration.ofSeconds(1), 3), ConfigTree.empty().read(Sample::from));
        assertEquals(new Sample(Duration.ofMillis(5), 3), ConfigTree.of(Map.of("timeout", "5ms")).read(Sample::from));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigTree.of(Map.of("timeout", "0s", "retrys", 1)).read(Sample::from));
        assertEquals(List.of("timeout: must be positive, was 0s",
                "retrys: unknown setting; known settings: timeout, retries"), e.problems());
    }

    @Test
    void settingsReadListsEachWithItsKindAndDefault() {
        ConfigTree t = ConfigTree.empty();
        ConfigSection s = t.section("app");
        s.duration("timeout", Duration.ofMillis(1500));
        s.enumValue("mode", Mode.class, Mode.MEDIUM_FAST);
        s.strings("hosts", List.of("a:1", "b:2"));
        s.string("name", null);
        assertEquals(List.of(
                new ConfigTree.Setting("app.timeout", "duration", "1.5s"),
                new ConfigTree.Setting("app.mode", "one of slow, medium-fast", "medium-fast"),
                new ConfigTree.Setting("app.hosts", "list of strings", "[a:1, b:2]"),
                new ConfigTree.Setting("app.name", "string", "")), t.settingsRead());
    }

    @Test
    void throwIfProblemsListsSyntaxAndValueProblemsTogether() {
        ConfigTree t = ConfigTree.parse("c.yaml", "a:\n  n: x\n  n: y\n");
        t.section("a").integer("n", 0);
        ConfigException e = assertThrows(ConfigException.class, t::throwIfProblems);
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().startsWith("invalid configuration (2 problems):"), e.getMessage());
        ConfigTree.empty().throwIfProblems();
    }
}
