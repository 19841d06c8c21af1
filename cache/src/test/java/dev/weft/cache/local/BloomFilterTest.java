package dev.weft.cache.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BloomFilterTest {
    @Test
    void noFalseNegativesAndFalsePositivesNearTheConfiguredRate() {
        BloomFilter filter = BloomFilter.create(100_000, 0.01);
        for (int i = 0; i < 100_000; i++) {
            filter.add("product:" + i);
        }
        for (int i = 0; i < 100_000; i++) {
            assertTrue(filter.mightContain("product:" + i));
        }
        int falsePositives = 0;
        for (int i = 100_000; i < 200_000; i++) {
            if (filter.mightContain("product:" + i)) {
                falsePositives++;
            }
        }
        double rate = falsePositives / 100_000.0;
        assertTrue(rate < 0.015, "false-positive rate " + rate + " for a target of 0.01");
        assertTrue(rate > 0.005, "a rate of " + rate + " means the filter is far larger than needed");
    }

    @Test
    void anEmptyFilterContainsNothing() {
        BloomFilter filter = BloomFilter.create(10, 0.01);
        assertFalse(filter.mightContain("anything"));
    }

    @Test
    void badSizesAreRefusedNamingTheArgument() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BloomFilter.create(0, 0.01))
                .getMessage().startsWith("expectedKeys"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BloomFilter.create(10, 1.0))
                .getMessage().startsWith("falsePositiveRate"));
    }
}
