package dev.weft.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class EventuallyTest {
    @Test
    void returnsOnThePollThatFindsTheConditionMet() {
        AtomicInteger polls = new AtomicInteger();
        Eventually.await(Duration.ofSeconds(30), "the third poll", () -> polls.incrementAndGet() == 3);
        assertEquals(3, polls.get());
    }

    @Test
    void untilReturnsTheAcceptedValue() {
        AtomicInteger polls = new AtomicInteger();
        assertEquals(4, Eventually.until(Duration.ofSeconds(30), "four", polls::incrementAndGet, n -> n == 4));
    }

    @Test
    void aConditionNeverMetFailsNamingWhatWasAwaitedAndTheLastValue() {
        AssertionError e = assertThrows(AssertionError.class, () -> Eventually.until(Duration.ofMillis(20),
                "the answer", () -> 41, n -> n == 42, n -> "got " + n));
        assertEquals("the answer: not within 20 ms; last: got 41", e.getMessage());
        AssertionError never = assertThrows(AssertionError.class,
                () -> Eventually.await(Duration.ZERO, "never", () -> false));
        assertEquals("never: not within 0 ms; last: still not met", never.getMessage());
    }

    @Test
    void aThrowingConditionFailsAtOnceWithItsCause() {
        IOException refused = new IOException("connection refused");
        AtomicInteger polls = new AtomicInteger();
        AssertionError e = assertThrows(AssertionError.class, () -> Eventually.await(Duration.ofSeconds(30),
                "the server answers", () -> {
                    polls.incrementAndGet();
                    throw refused;
                }));
        assertSame(refused, e.getCause());
        assertTrue(e.getMessage().startsWith("the server answers: the condition threw"), e.getMessage());
        assertEquals(1, polls.get(), "no second poll after an exception");
    }
}
