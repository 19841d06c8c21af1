package dev.weft.http.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class ConfigFileTest {
    record Parse(String name, String text, String tree) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** YAML documents and the tree they give, printed with Map/List toString. */
    static Stream<Parse> yaml() {
        return Stream.of(
                new Parse("empty", "", "{}"),
                new Parse("comments only", "# nothing\n\n   # here\n", "{}"),
                new Parse("scalars are strings", "a: 1\nb: true\nc: 010\nd: null\n", "{a=1, b=true, c=010, d=null}"),
                new Parse("nested", "server:\n  port: 8080\n  tls:\n    enabled: false\nother: x\n",
                        "{server={port=8080, tls={enabled=false}}, other=x}"),
                new Parse("comments after values", "a: 10s # ten seconds\nb: x#y\n", "{a=10s, b=x#y}"),
                new Parse("empty value is null", "a:\nb: 1\n", "{a=null, b=1}"),
                new Parse("double quotes", "a: \"x: y # z\"\nb: \"tab\\there \\\"q\\\" \\u00e9\" # c\n",
                        "{a=x: y # z, b=tab\there \"q\" é}"),
                new Parse("single quotes", "a: 'it''s'\nb: '#1'\n", "{a=it's, b=#1}"),
                new Parse("indented list", "hosts:\n  - a.example\n  - \"b.example\"\n  - 'c'\n",
                        "{hosts=[a.example, b.example, c]}"),
                new Parse("list level with key", "hosts:\n- a\n- b\nport: 1\n", "{hosts=[a, b], port=1}"),
                new Parse("empty collections", "a: []\nb: {}\n", "{a=[], b={}}"),
                new Parse("document start and CRLF", "---\r\na: 1\r\n", "{a=1}"),
                new Parse("urls and colons", "url: http://x.example:80/a\n", "{url=http://x.example:80/a}"),
                new Parse("deeper indentation", "a:\n      b:\n          c: 1\n      d: 2\n", "{a={b={c=1}, d=2}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("yaml")
    void parsesYaml(Parse p) {
        ConfigFile f = ConfigFile.parse(p.text(), "c.yaml", Map.of());
        assertEquals(List.of(), f.problems());
        assertEquals(p.tree(), f.tree().toString());
    }

    record Bad(String name, String text, List<String> problems) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> badYaml() {
        return Stream.of(
                new Bad("tab", "a:\n\tb: 1\n", List.of("c.yaml:2: tab in indentation: indent with spaces")),
                new Bad("flow list", "a: [1, 2]\n", List.of("c.yaml:1: flow collections ([a, b] or {a: b}) are not "
                        + "supported: use block style, one '- item' or 'key: value' per line")),
                new Bad("flow map", "a: {b: 1}\n", List.of("c.yaml:1: flow collections")),
                new Bad("anchor and alias", "a: &x 1\nb: *x\n",
                        List.of("c.yaml:1: anchors (&) are not supported", "c.yaml:2: aliases (*) are not supported")),
                new Bad("tag", "a: !!int 1\n", List.of("c.yaml:1: tags (!) are not supported")),
                new Bad("block scalar", "a: |\n  text\n", List.of("c.yaml:1: block scalars (| and >) are not supported",
                        "c.yaml:2: unexpected indentation: 'a' already has a value on line 1")),
                new Bad("duplicate", "a: 1\nb: 2\na: 3\n", List.of("c.yaml:3: duplicate key 'a' (first on line 1)")),
                new Bad("no space after colon", "a:1\n",
                        List.of("c.yaml:1: expected 'key: value' (a space must follow the colon)")),
                new Bad("not a key", "just words\n", List.of("c.yaml:1: expected 'key: value' or '- item'")),
                new Bad("bad key", "a.b: 1\n",
                        List.of("c.yaml:1: invalid key 'a.b': keys are letters, digits, '-' and '_'")),
                new Bad("quoted key", "\"a\": 1\n", List.of("c.yaml:1: quoted keys are not supported")),
                new Bad("bad dedent", "a:\n    b: 1\n  c: 2\n",
                        List.of("c.yaml:3: unexpected indentation: expected 0 spaces here")),
                new Bad("mapping in list", "a:\n  - b: 1\n", List.of("c.yaml:2: mappings in lists are not supported")),
                new Bad("nested list", "a:\n  - - 1\n", List.of("c.yaml:2: nested lists are not supported")),
                new Bad("colon in plain", "a: b: c\n", List.of("c.yaml:1: ': ' inside a plain value: quote the value")),
                new Bad("unterminated", "a: \"x\n", List.of("c.yaml:1: unterminated double-quoted string")),
                new Bad("text after quote", "a: \"x\" y\n", List.of("c.yaml:1: unexpected text after the closing quote: y")),
                new Bad("bad escape", "a: \"\\q\"\n", List.of("c.yaml:1: unsupported escape \\q")),
                new Bad("list at top", "- a\n", List.of("c.yaml:1: the document must be a mapping")),
                new Bad("two documents", "a: 1\n---\nb: 2\n", List.of("c.yaml:2: several documents")),
                new Bad("several problems, all reported", "a: [x]\nb:\n\tc: 1\nd: *e\n",
                        List.of("c.yaml:1: flow", "c.yaml:3: tab", "c.yaml:4: aliases")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badYaml")
    void rejectsUnsupportedYamlWithFileAndLine(Bad b) {
        assertProblems("c.yaml", b);
    }

    private static void assertProblems(String fileName, Bad b) {
        List<String> problems = ConfigFile.parse(b.text(), fileName, Map.of()).problems();
        assertEquals(b.problems().size(), problems.size(), problems::toString);
        for (int i = 0; i < problems.size(); i++) {
            assertTrue(problems.get(i).startsWith(b.problems().get(i)), problems.get(i));
        }
    }

    static Stream<Parse> json() {
        return Stream.of(
                new Parse("empty", "", "{}"),
                new Parse("object", "{\"server\": {\"port\": 8080, \"accessLog\": true, \"host\": \"::1\"}}",
                        "{server={port=8080, accessLog=true, host=::1}}"),
                new Parse("values", "{\"a\": [1, \"x\", null], \"b\": -1.5e3, \"c\": \"\\u00e9\\n\", \"d\": {}}",
                        "{a=[1, x, null], b=-1.5E+3, c=é\n, d={}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("json")
    void parsesJson(Parse p) {
        ConfigFile f = ConfigFile.parse(p.text(), "c.json", Map.of());
        assertEquals(List.of(), f.problems());
        assertEquals(p.tree(), f.tree().toString());
    }

    static Stream<Bad> badJson() {
        return Stream.of(
                new Bad("trailing comma", "{\"a\": 1,\n}", List.of("c.json:2:1: expected a key in double quotes")),
                new Bad("comment", "{\n  // no\n}", List.of("c.json:2:3: expected a key in double quotes")),
                new Bad("array at top", "[1]", List.of("c.json:1:1: the document must be an object")),
                new Bad("missing colon", "{\"a\" 1}", List.of("c.json:1:6: expected ':'")),
                new Bad("unterminated", "{\"a\": \"x", List.of("c.json:1:9: unterminated string")),
                new Bad("trailing text", "{} x", List.of("c.json:1:4: unexpected text after the end")),
                new Bad("duplicate and bad key, both reported", "{\"a\": 1,\n \"a\": 2,\n \"b c\": 3}",
                        List.of("c.json:2: duplicate key \"a\" (first on line 1)", "c.json:3: invalid key \"b c\"")),
                new Bad("deep", "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}",
                        List.of("c.json:1:69: nested deeper than 64 levels")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badJson")
    void rejectsBadJsonWithFileLineAndColumn(Bad b) {
        assertProblems("c.json", b);
    }

    static Stream<List<Object>> durations() {
        return Stream.of(
                List.of("10s", Duration.ofSeconds(10)),
                List.of("500ms", Duration.ofMillis(500)),
                List.of("2m", Duration.ofMinutes(2)),
                List.of("1h30m", Duration.ofMinutes(90)),
                List.of("1.5h", Duration.ofMinutes(90)),
                List.of("250us", Duration.ofNanos(250_000)),
                List.of("7ns", Duration.ofNanos(7)),
                List.of("0", Duration.ZERO),
                List.of("-1s", Duration.ofSeconds(-1)),
                List.of(" 3s ", Duration.ofSeconds(3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durations")
    void readsDurations(List<Object> c) {
        assertEquals(c.get(1), Units.duration((String) c.get(0)));
    }

    static Stream<List<String>> badDurations() {
        return Stream.of(
                List.of("10", "missing unit"),
                List.of("ten", "not a duration"),
                List.of("10 s", "unknown unit \" s\""),
                List.of("5d", "unknown unit \"d\""),
                List.of("1..2s", "not a duration"),
                List.of("", "not a duration"),
                List.of("-", "not a duration"),
                List.of("999999999h", "too large"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDurations")
    void rejectsBadDurations(List<String> c) {
        String m = assertThrows(IllegalArgumentException.class, () -> Units.duration(c.get(0))).getMessage();
        assertTrue(m.startsWith(c.get(1)), m);
    }

    static Stream<List<Object>> sizes() {
        return Stream.of(
                List.of("512", 512L),
                List.of("512B", 512L),
                List.of("16KiB", 16_384L),
                List.of("10MiB", 10_485_760L),
                List.of("1 GiB", 1_073_741_824L),
                List.of("2kb", 2_000L),
                List.of("3MB", 3_000_000L),
                List.of("1TiB", 1L << 40));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sizes")
    void readsSizes(List<Object> c) {
        assertEquals(c.get(1), Units.size((String) c.get(0)));
    }

    @Test
    void rejectsBadSizes() {
        for (String s : List.of("", "KiB", "1.5MiB", "-1", "10 bits", "99999999999TiB")) {
            assertThrows(IllegalArgumentException.class, () -> Units.size(s), s);
        }
    }

    @Test
    void envNamesFollowTheDocumentedRule() {
        assertEquals("WEFT_SERVER_READ_HEADER_TIMEOUT", ConfigFile.envName("server.readHeaderTimeout"));
        assertEquals("WEFT_SERVER_TLS_KEYSTORE_PASSWORD", ConfigFile.envName("server.tls.keystorePassword"));
        assertEquals("WEFT_SERVER_PORT", ConfigFile.envName("server.port"));
        assertEquals("WEFT_CACHE_L2_TTL", ConfigFile.envName("cache.l2Ttl"));
        assertEquals("WEFT_DB_POOL_MAX_SIZE", ConfigFile.envName("db-pool.max_size"));
    }

    @Test
    void environmentWinsOverTheFileEvenForAbsentKeys() {
        ConfigFile f = ConfigFile.parse("app:\n  name: file\n  size: 1KiB\n", "c.yaml",
                Map.of("WEFT_APP_NAME", "env", "WEFT_APP_RETRIES", "3", "WEFT_APP_TAGS", "a, b ,c"));
        ConfigSection app = f.section("app");
        assertEquals("env", app.string("name", "default"));
        assertEquals(3, app.integer("retries", 0));
        assertEquals(1024, app.size("size", 0));
        assertEquals(List.of("a", "b", "c"), app.strings("tags", List.of()));
        assertEquals(List.of(), f.problems());
    }

    @Test
    void accessorsCollectEveryProblemWithPathValueAndOrigin() {
        ConfigFile f = ConfigFile.parse(String.join("\n",
                "app:",
                "  count: many",
                "  timeout: 10",
                "  on: yes",
                "  mode: fast",
                "  list: one",
                "  nested: flat",
                ""), "c.yaml", Map.of("WEFT_APP_LIMIT", "12x"));
        enum Mode { SLOW, MEDIUM }
        ConfigSection app = f.section("app");
        assertEquals(5, app.integer("count", 5));
        assertEquals(Duration.ofSeconds(1), app.duration("timeout", Duration.ofSeconds(1)));
        assertEquals(false, app.bool("on", false));
        assertEquals(Mode.SLOW, app.enumValue("mode", Mode.class, Mode.SLOW));
        assertEquals(List.of(), app.strings("list", List.of()));
        assertEquals(7L, app.size("limit", 7));
        app.section("nested");
        assertEquals(List.of(
                "app.count: must be an integer, was \"many\" (c.yaml:2)",
                "app.timeout: missing unit: " + Units.DURATION_HINT + ", was \"10\" (c.yaml:3)",
                "app.on: must be true or false, was \"yes\" (c.yaml:4)",
                "app.mode: must be one of slow, medium, was \"fast\" (c.yaml:5)",
                "app.list: must be a list, was \"one\" (c.yaml:6)",
                "app.limit: unknown unit \"x\": " + Units.SIZE_HINT + ", was \"12x\" (from WEFT_APP_LIMIT)",
                "app.nested: must be a mapping of settings, was \"flat\" (c.yaml:7)"), f.problems());
    }

    @Test
    void jsonValuesReadThroughTheSameAccessors() {
        ConfigFile f = ConfigFile.parse("{\"a\": {\"n\": 3, \"b\": true, \"s\": 1048576, \"d\": 10, \"big\": 3000000000}}",
                "c.json", Map.of());
        ConfigSection a = f.section("a");
        assertEquals(3, a.integer("n", 0));
        assertEquals(true, a.bool("b", false));
        assertEquals(1_048_576L, a.size("s", 0));
        assertEquals(Duration.ZERO, a.duration("d", Duration.ZERO));
        assertEquals(0, a.integer("big", 0));
        assertEquals(3_000_000_000L, a.longValue("big", 0));
        assertEquals(List.of(
                "a.d: must be a duration with a unit: " + Units.DURATION_HINT + ", was 10 (c.json:1)",
                "a.big: must be an integer that fits 32 bits, was 3000000000 (c.json:1)"), f.problems());
    }

    @Test
    void decimalsFromYamlJsonAndTheEnvironment() {
        ConfigFile y = ConfigFile.parse("a:\n  half: 0.5\n  whole: 50\n  sci: 2.5e3\n  nan: NaN\n  suffixed: 1d\n",
                "c.yaml", Map.of("WEFT_A_ENV", " 12.25 ", "WEFT_A_BAD", "fast"));
        ConfigSection a = y.section("a");
        assertEquals(0.5, a.decimal("half", 1));
        assertEquals(50.0, a.decimal("whole", 1));
        assertEquals(2500.0, a.decimal("sci", 1));
        assertEquals(12.25, a.decimal("env", 1));
        assertEquals(7.5, a.decimal("absent", 7.5));
        assertEquals(1.0, a.decimal("nan", 1));
        assertEquals(1.0, a.decimal("suffixed", 1));
        assertEquals(1.0, a.decimal("bad", 1));
        assertEquals(List.of(
                "a.nan: must be a decimal number, was \"NaN\" (c.yaml:5)",
                "a.suffixed: must be a decimal number, was \"1d\" (c.yaml:6)",
                "a.bad: must be a decimal number, was \"fast\" (from WEFT_A_BAD)"), y.problems());

        ConfigFile j = ConfigFile.parse("{\"a\": {\"rate\": 0.25, \"n\": 3, \"flag\": true}}", "c.json", Map.of());
        ConfigSection ja = j.section("a");
        assertEquals(0.25, ja.decimal("rate", 1));
        assertEquals(3.0, ja.decimal("n", 1));
        assertEquals(1.0, ja.decimal("flag", 1));
        assertEquals(List.of("a.flag: must be a decimal number, was true (c.json:1)"), j.problems());
    }

    @Test
    void unknownKeysAndVariablesAreListed() {
        ConfigFile f = ConfigFile.parse("app:\n  name: x\n  nmae: y\n", "c.yaml",
                Map.of("WEFT_APP_NAEM", "z", "WEFT_APP_SUB_KEY", "k", "WEFT_OTHER_X", "1"));
        ConfigSection app = f.section("app");
        app.string("name", null);
        app.section("sub");
        app.rejectUnknownKeys(List.of("name", "sub"));
        assertEquals(List.of(
                "app.nmae: unknown setting (c.yaml:3); known settings: name, sub",
                "WEFT_APP_NAEM: environment variable for an unknown setting under app; known settings: name, sub"),
                f.problems());
    }

    @Test
    void filesAreReadByExtension(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("weft.yml");
        Files.writeString(yaml, "a:\n  b: 1\n");
        assertEquals("{a={b=1}}", ConfigFile.load(yaml, Map.of()).tree().toString());
        Path json = dir.resolve("weft.JSON");
        Files.writeString(json, "{\"a\": {\"b\": 1}}");
        assertEquals("{a={b=1}}", ConfigFile.load(json, Map.of()).tree().toString());

        Path toml = dir.resolve("weft.toml");
        Files.writeString(toml, "a = 1");
        assertEquals(List.of(toml + ": unknown file type: use .yaml, .yml or .json"),
                ConfigFile.load(toml, Map.of()).problems());
        Path missing = dir.resolve("missing.yaml");
        assertEquals(List.of(missing + ": no such file"), ConfigFile.load(missing, Map.of()).problems());
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'a', ':', ' ', (byte) 0xe9});
        assertEquals(List.of(latin1 + ": not UTF-8 text"), ConfigFile.load(latin1, Map.of()).problems());
    }

    @Test
    void throwIfProblemsListsThemAll() {
        ConfigFile f = ConfigFile.parse("a: [1]\nb: *c\n", "c.yaml", Map.of());
        ConfigException e = assertThrows(ConfigException.class, f::throwIfProblems);
        assertEquals(2, e.problems().size());
        assertTrue(e.getMessage().startsWith("invalid configuration (2 problems):"), e.getMessage());
        ConfigFile.environmentOnly(Map.of()).throwIfProblems();
    }
}
