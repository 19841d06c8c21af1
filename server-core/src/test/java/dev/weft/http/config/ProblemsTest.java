package dev.weft.http.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.weft.http.ConfigException;

class ProblemsTest {
    @Test
    void everyFailedCheckIsListedInOrderWithItsField() {
        Problems p = new Problems();
        p.positive("a.timeout", Duration.ZERO);
        p.positive("a.unset", null);
        p.notNegative("a.grace", Duration.ofSeconds(-1));
        p.notNegative("a.bytes", -2);
        p.atLeast("a.pool", 0, 1);
        p.between("a.port", 70000, 0, 65535);
        p.matches("a.name", "no spaces", Pattern.compile("\\S+"), "one word");
        p.readable("a.file", Path.of("/nonexistent/weft-problems-test"));
        p.add("a.custom: is wrong");
        assertEquals(List.of(
                "a.timeout: must be positive, was PT0S",
                "a.unset: must be set",
                "a.grace: must not be negative, was PT-1S",
                "a.bytes: must not be negative, was -2",
                "a.pool: must be at least 1, was 0",
                "a.port: must be between 0 and 65535, was 70000",
                "a.name: must be one word, was \"no spaces\"",
                "a.file: file /nonexistent/weft-problems-test does not exist or is not readable",
                "a.custom: is wrong"), p.list());
    }

    @Test
    void valuesInsideTheirBoundsAreNoProblem() {
        Problems p = new Problems();
        p.positive("a", Duration.ofMillis(1));
        p.notNegative("b", Duration.ZERO);
        p.notNegative("c", 0);
        p.atLeast("d", 1, 1);
        p.between("e", 65535, 0, 65535);
        p.between("f", 0, 0, 65535);
        p.matches("g", "word", Pattern.compile("\\S+"), "one word");
        assertEquals(List.of(), p.list());
        assertThrows(UnsupportedOperationException.class, () -> p.list().add("x"));
    }

    @Test
    void throwIfAnyThrowsTheWholeListAndNothingForNone() {
        Problems.throwIfAny(List.of());
        ConfigException e = assertThrows(ConfigException.class,
                () -> Problems.throwIfAny(List.of("a.x: must be set", "a.y: must be set")));
        assertEquals(List.of("a.x: must be set", "a.y: must be set"), e.problems());
    }
}
