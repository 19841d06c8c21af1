package dev.weft.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class ProblemsTest {
    @Test
    void everyFailedCheckIsListedInOrderInOneWording() {
        Problems p = new Problems();
        p.positive("a.timeout", Duration.ZERO);
        p.positive("a.unset", null);
        p.notNegative("a.grace", Duration.ofSeconds(-1));
        p.atLeast("a.wait", Duration.ofMillis(100), Duration.ofMillis(250));
        p.zeroOrAtLeast("a.leak", Duration.ofSeconds(1), Duration.ofSeconds(2));
        p.notNegative("a.bytes", -2);
        p.atLeast("a.pool", 0, 1);
        p.between("a.port", 70000, 0, 65535);
        p.between("a.beta", 11.5, 0, 10);
        p.port("a.redis", 0);
        p.matches("a.name", "no spaces", Pattern.compile("\\S+"), "one word");
        p.readable("a.file", Path.of("/nonexistent/weft-problems-test"));
        p.required("a.url", " ");
        p.shorterThan("a.validation", Duration.ofSeconds(3), "a.connection", Duration.ofSeconds(3));
        p.notLongerThan("a.wait", Duration.ofSeconds(6), "a.lease", Duration.ofSeconds(5));
        p.add("a.custom", "must be custom, was plain");
        assertEquals(List.of(
                "a.timeout: must be positive, was 0s",
                "a.unset: must be set",
                "a.grace: must not be negative, was -1s",
                "a.wait: must be at least 250ms, was 100ms",
                "a.leak: must be 0 (off) or at least 2s, was 1s",
                "a.bytes: must not be negative, was -2",
                "a.pool: must be at least 1, was 0",
                "a.port: must be between 0 and 65535, was 70000",
                "a.beta: must be between 0 and 10, was 11.5",
                "a.redis: must be between 1 and 65535, was 0",
                "a.name: must be one word, was \"no spaces\"",
                "a.file: must name a readable file, was /nonexistent/weft-problems-test (missing or not readable)",
                "a.url: must be set",
                "a.validation: must be shorter than a.connection (3s), was 3s",
                "a.wait: must not be longer than a.lease (5s), was 6s",
                "a.custom: must be custom, was plain"), p.list());
    }

    @Test
    void eachItemOfAnAddressListIsHostAndPort() {
        Problems p = new Problems();
        p.hostPorts("a.nodes", List.of("redis:6379", "[::1]:1", "nohost", ":80", "h:0", "h:65536", "h:x"));
        p.hostPorts("b.nodes", List.of());
        assertEquals(List.of(
                "a.nodes: must be a list of host:port with ports from 1 to 65535, was \"nohost\" at index 2",
                "a.nodes: must be a list of host:port with ports from 1 to 65535, was \":80\" at index 3",
                "a.nodes: must be a list of host:port with ports from 1 to 65535, was \"h:0\" at index 4",
                "a.nodes: must be a list of host:port with ports from 1 to 65535, was \"h:65536\" at index 5",
                "a.nodes: must be a list of host:port with ports from 1 to 65535, was \"h:x\" at index 6"), p.list());
    }

    @Test
    void valuesInsideTheirBoundsAreNoProblem() {
        Problems p = new Problems();
        p.positive("a", Duration.ofMillis(1));
        p.notNegative("b", Duration.ZERO);
        p.notNegative("c", 0);
        p.atLeast("d", 1, 1);
        p.between("e", 65535, 0, 65535);
        p.zeroOrAtLeast("f", Duration.ZERO, Duration.ofSeconds(2));
        p.matches("g", "word", Pattern.compile("\\S+"), "one word");
        p.required("h", "x");
        assertEquals(List.of(), p.list());
        p.throwIfAny();
        assertThrows(UnsupportedOperationException.class, () -> p.list().add("x"));
    }

    record Pool(int size) {
        void validate(String path, Problems problems) {
            problems.atLeast(path + ".size", size, 1);
        }
    }

    @Test
    void requireValidReturnsTheRecordOrThrowsEveryProblem() {
        Pool ok = new Pool(2);
        assertSame(ok, Problems.requireValid("db", ok, Pool::validate));
        ConfigException e = assertThrows(ConfigException.class,
                () -> Problems.requireValid("db", new Pool(0), Pool::validate));
        assertEquals(List.of("db.size: must be at least 1, was 0"), e.problems());
        assertEquals("invalid configuration (1 problem):\n  - db.size: must be at least 1, was 0", e.getMessage());
    }
}
