package dev.weft.dbpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class PoolExhaustedExceptionTest {

    @Test
    void retryAfterIsWholeSecondsAtLeastOne() {
        assertEquals(1, exhausted(Duration.ofMillis(10)).retryAfterSeconds());
        assertEquals(2, exhausted(Duration.ofMillis(1500)).retryAfterSeconds());
        assertEquals(3, exhausted(Duration.ofSeconds(3)).retryAfterSeconds());
    }

    @Test
    void itIsStillTheJdbcTransientConnectionException() {
        PoolExhaustedException e = exhausted(Duration.ofSeconds(2));
        assertTrue(e instanceof SQLTransientConnectionException);
        assertEquals("pool orders: no connection available after 10000 ms (busy); retry after 2 s", e.getMessage());
    }

    private static PoolExhaustedException exhausted(Duration retryAfter) {
        return new PoolExhaustedException("orders", PoolExhaustedException.Reason.TIMED_OUT, Duration.ofSeconds(10),
                retryAfter, "busy", null);
    }
}
