package dev.weft.dbpool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PoolSizingTest {

    @Test
    void reasoningReadsLikeTheArithmetic() {
        SizingDecision d = new PoolSizing(400, Duration.ofMillis(25), 20, 4, 1).decide();
        assertEquals(9, d.size());
        assertEquals("pool 9: 400 req/s x 25 ms = 10, +20% = 12, capped by 2x4+1 = 9", d.reasoning());
    }

    @Test
    void underTheCapTheHeadroomDecides() {
        SizingDecision d = new PoolSizing(400, Duration.ofMillis(25), 20, 8, 1).decide();
        assertEquals(12, d.size());
        assertEquals("pool 12: 400 req/s x 25 ms = 10, +20% = 12, under the cap 2x8+1 = 17", d.reasoning());
    }

    @ParameterizedTest(name = "{0} req/s x {1} us, +{2}% on {3} cores + {4} -> {5}")
    @CsvSource({
            // rate, hold us, headroom, cores, spindles, size
            "1,      1000,  20, 4, 1, 1",   // 0.001 busy still needs one connection
            "150,    7000,  20, 8, 0, 2",   // 1.05 busy -> 1.26 -> 2
            "1000,   2500,  0,  8, 1, 3",   // 2.5 -> 3
            "2000,   5000,  50, 2, 1, 5",   // 10 -> 15, capped by 5
            "333.3,  30000, 20, 16, 2, 12", // 9.999 -> 11.9988 -> 12
    })
    void roundsEachStepUpAndCaps(double rate, long holdMicros, int headroom, int cores, int spindles, int size) {
        assertEquals(size, new PoolSizing(rate, Duration.ofNanos(holdMicros * 1000), headroom, cores, spindles)
                .decide().size());
    }

    @Test
    void fractionsAreShownAsGiven() {
        assertEquals("pool 2: 150 req/s x 7.5 ms = 2, +20% = 2, under the cap 2x8+0 = 16",
                new PoolSizing(150, Duration.ofNanos(7_500_000), 20, 8, 0).decide().reasoning());
    }
}
