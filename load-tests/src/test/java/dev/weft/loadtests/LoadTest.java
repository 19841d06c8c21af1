package dev.weft.loadtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Load's values from system properties, and the sentences for bad ones. */
class LoadTest {
    private static final String[] PROPERTIES = {"rate", "duration", "warmup", "p99Ms", "maxFailedPercent", Load.BASE_URL};
    private final Map<String, String> saved = new HashMap<>();

    LoadTest() {
        for (String p : PROPERTIES) {
            saved.put(p, System.getProperty(p));
            System.clearProperty(p);
        }
    }

    @AfterEach
    void restore() {
        saved.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }

    @Test
    void smokeDefaultsAndGivenValues() {
        assertEquals(new Load(50, Duration.ofSeconds(15), Duration.ofSeconds(5), 1000, 1), Load.fromSystemProperties());
        System.setProperty("rate", "2500.5");
        System.setProperty("warmup", "0");
        System.setProperty("duration", "1.5");
        Load load = Load.fromSystemProperties();
        assertEquals(2500.5, load.rate());
        assertEquals(Duration.ZERO, load.warmup());
        assertEquals(Duration.ofMillis(1500), load.duration());
    }

    @Test
    void everyBadPropertyIsNamedAtOnce() {
        System.setProperty("rate", "fast");
        System.setProperty("p99Ms", "soon");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Load::fromSystemProperties);
        assertTrue(e.getMessage().contains("-Drate: must be a number, was 'fast'"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dp99Ms: must be a number, was 'soon'"), e.getMessage());

        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> new Load(0, Duration.ZERO, Duration.ofSeconds(-1), 0, 101));
        for (String problem : new String[] {"rate: must be a positive number", "duration: must be positive",
                "warmup: must be zero or positive", "p99Ms: must be a positive number", "maxFailedPercent: must be from 0 to 100"}) {
            assertTrue(range.getMessage().contains(problem), range.getMessage());
        }
    }

    @Test
    void theBaseUrlIsRequiredAndMustBeHttp() {
        IllegalStateException missing = assertThrows(IllegalStateException.class, Load::baseUrl);
        assertTrue(missing.getMessage().contains("set -Dbase.url=http://HOST:PORT"), missing.getMessage());
        System.setProperty(Load.BASE_URL, "localhost:8080");
        assertThrows(IllegalStateException.class, Load::baseUrl);
        System.setProperty(Load.BASE_URL, "http://127.0.0.1:8080//");
        assertEquals("http://127.0.0.1:8080", Load.baseUrl());
    }

    @Test
    void warmUpNamesAreRecognised() {
        assertTrue(Load.isWarmUp("warm-up: product"));
        assertTrue(!Load.isWarmUp("product"));
    }
}
