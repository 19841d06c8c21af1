package dev.weft.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The two file formats: what each document gives as a tree, and each problem with its file:line:column. */
class YamlAndJsonTest {
    record Parse(String name, String text, String tree) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Parse> yaml() {
        return Stream.of(
                new Parse("empty", "", "{}"),
                new Parse("comments only", "# nothing\n\n   # here\n", "{}"),
                new Parse("core schema scalars", "a: 1\nb: true\nc: 0x1F\nd: null\ne: ~\nf: 1.5\ng: yes\nh: 010\n",
                        "{a=1, b=true, c=31, d=null, e=null, f=1.5, g=yes, h=10}"),
                new Parse("nested block mappings", "server:\n  port: 8080\n  tls:\n    enabled: false\nother: x\n",
                        "{server={port=8080, tls={enabled=false}}, other=x}"),
                new Parse("flow style", "a: [1, x, {b: 2}]\nc: {d: [e, f]}\n", "{a=[1, x, {b=2}], c={d=[e, f]}}"),
                new Parse("list of maps", "routes:\n  - pattern: /a\n    upstream: x\n  - pattern: /b\n    upstream: y\n",
                        "{routes=[{pattern=/a, upstream=x}, {pattern=/b, upstream=y}]}"),
                new Parse("anchors and aliases", "check: &std\n  interval: 5s\nshop:\n  healthCheck: *std\n",
                        "{check={interval=5s}, shop={healthCheck={interval=5s}}}"),
                new Parse("merge keys", "base: &b {interval: 5s, timeout: 1s}\nx:\n  <<: *b\n  timeout: 2s\n",
                        "{base={interval=5s, timeout=1s}, x={timeout=2s, interval=5s}}"),
                new Parse("literal block scalar", "key: |\n  line one\n  line two\n", "{key=line one\nline two\n}"),
                new Parse("folded block scalar", "key: >-\n  one\n  two\n", "{key=one two}"),
                new Parse("quoted strings", "a: \"x: y # z\"\nb: 'it''s'\nc: \"\\u00e9\\t\"\n",
                        "{a=x: y # z, b=it's, c=é\t}"),
                new Parse("document start and CRLF", "---\r\na: 1\r\n", "{a=1}"),
                new Parse("urls and colons", "url: http://x.example:80/a\n", "{url=http://x.example:80/a}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("yaml")
    void parsesYaml(Parse p) {
        ConfigTree t = ConfigTree.parse("c.yaml", p.text());
        assertEquals(List.of(), t.problems().list());
        assertEquals(p.tree(), t.asMap().toString());
    }

    record Bad(String name, String text, List<String> problems) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> badYaml() {
        return Stream.of(
                new Bad("duplicate key, with both positions", "a: 1\nb: 2\na: 3\n",
                        List.of("c.yaml:3:1: duplicate key \"a\" (first at c.yaml:1:1)")),
                new Bad("every duplicate, nested too", "a:\n  x: 1\n  x: 2\nb: 1\nb: 2\n",
                        List.of("c.yaml:3:3: duplicate key \"x\"", "c.yaml:5:1: duplicate key \"b\"")),
                new Bad("unclosed flow list", "a: [1, 2\n", List.of("c.yaml:2:1: expected ',' or ']'")),
                new Bad("tab in indentation", "a:\n\tb: 1\n", List.of("c.yaml:2:1: ")),
                new Bad("two documents", "a: 1\n---\nb: 2\n", List.of("c.yaml:2:1: but found another document")),
                new Bad("unknown alias", "a: *nothing\n", List.of("c.yaml:1:4: found undefined alias nothing")),
                new Bad("list at top", "- a\n", List.of("c.yaml:1:1: the document must be a mapping of settings")),
                new Bad("mapping as a key", "? {a: 1}\n: x\n", List.of("c.yaml:1:3: a key must be a plain name")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badYaml")
    void reportsYamlProblemsWithLineAndColumn(Bad b) {
        assertProblems(ConfigTree.parse("c.yaml", b.text()), b);
    }

    static Stream<Parse> json() {
        return Stream.of(
                new Parse("empty", "", "{}"),
                new Parse("object", "{\"server\": {\"port\": 8080, \"accessLog\": true, \"host\": \"::1\"}}",
                        "{server={port=8080, accessLog=true, host=::1}}"),
                new Parse("values", "{\"a\": [1, \"x\", null], \"b\": -1.5e3, \"c\": \"\\u00e9\\n\", \"d\": {}}",
                        "{a=[1, x, null], b=-1.5E+3, c=é\n, d={}}"),
                new Parse("list of objects", "{\"routes\": [{\"pattern\": \"/a\"}, {\"pattern\": \"/b\"}]}",
                        "{routes=[{pattern=/a}, {pattern=/b}]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("json")
    void parsesJson(Parse p) {
        ConfigTree t = ConfigTree.parse("c.json", p.text());
        assertEquals(List.of(), t.problems().list());
        assertEquals(p.tree(), t.asMap().toString());
    }

    static Stream<Bad> badJson() {
        return Stream.of(
                new Bad("trailing comma", "{\"a\": 1,\n}", List.of("c.json:2:1: ")),
                new Bad("comment", "{\n  // no\n}", List.of("c.json:2:3: maybe a (non-standard) comment")),
                new Bad("array at top", "[1]", List.of("c.json:1:1: the document must be an object of settings")),
                new Bad("duplicate key", "{\"a\": 1,\n \"a\": 2}", List.of("c.json:2:5: Duplicate field 'a'")),
                new Bad("unterminated", "{\"a\": \"x", List.of("c.json:1:")),
                new Bad("trailing text", "{} x", List.of("c.json:1:4: ")),
                new Bad("deep", "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", List.of("c.json:1:70: Document nesting depth (65) exceeds")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badJson")
    void reportsJsonProblemsWithLineAndColumn(Bad b) {
        assertProblems(ConfigTree.parse("c.json", b.text()), b);
    }

    private static void assertProblems(ConfigTree tree, Bad b) {
        List<String> problems = tree.problems().list();
        assertEquals(b.problems().size(), problems.size(), problems::toString);
        for (int i = 0; i < problems.size(); i++) {
            String expected = b.problems().get(i);
            String actual = problems.get(i);
            int colon = expected.indexOf(": ");
            assertTrue(actual.startsWith(expected.substring(0, colon + 2)), actual);
            assertTrue(actual.contains(expected.substring(colon + 2)), actual);
        }
    }

    @Test
    void filesAreReadByExtension(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("weft.yml");
        Files.writeString(yaml, "a:\n  b: 1\n");
        assertEquals("{a={b=1}}", ConfigTree.read(yaml).asMap().toString());
        Path json = dir.resolve("weft.JSON");
        Files.writeString(json, "{\"a\": {\"b\": 1}}");
        assertEquals("{a={b=1}}", ConfigTree.read(json).asMap().toString());

        Path toml = dir.resolve("weft.toml");
        Files.writeString(toml, "a = 1");
        assertEquals(List.of(toml + ": unknown file type: use .yaml, .yml or .json"),
                ConfigTree.read(toml).problems().list());
        Path missing = dir.resolve("missing.yaml");
        assertEquals(List.of(missing + ": no such file"), ConfigTree.read(missing).problems().list());
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'a', ':', ' ', (byte) 0xe9});
        assertEquals(List.of(latin1 + ": not UTF-8 text"), ConfigTree.read(latin1).problems().list());
    }
}
