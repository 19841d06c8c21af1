package dev.weft.cache.redis;

import static dev.weft.cache.redis.Heartbeat.Action.DROP;
import static dev.weft.cache.redis.Heartbeat.Action.PING;
import static dev.weft.cache.redis.Heartbeat.Action.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The heartbeat's decision, on times the test chooses (nanoseconds; a heartbeat of 1,000). */
class HeartbeatTest {
    private static final long BEAT = 1_000;
    private final Heartbeat heartbeat = new Heartbeat(BEAT);

    @Test
    void answeredPingsNeverDrop() {
        for (long t = 0; t < 100 * BEAT; t += BEAT) {
            assertEquals(PING, heartbeat.tick(t, t - BEAT + 1), "tick at " + t);
        }
        assertEquals(0, heartbeat.missed());
    }

    @Test
    void threeUnansweredPingsInARowDropTheSubscription() {
        long lastHeard = -5;
        assertEquals(PING, heartbeat.tick(0, lastHeard));
        assertEquals(PING, heartbeat.tick(BEAT, lastHeard));
        assertEquals(PING, heartbeat.tick(2 * BEAT, lastHeard));
        assertEquals(2, heartbeat.missed());
        assertEquals(DROP, heartbeat.tick(3 * BEAT, lastHeard), "three heartbeats of silence, as before");
    }

    /**
     * The case a starved machine made: the heartbeat thread woke 4 heartbeats late and Redis had not been heard
     * since before its last ping (the pong sat unread in the socket). The time rule dropped the subscription here;
     * this is one miss, and the answer read a moment later clears it.
     */
    @Test
    void aLateTickIsOneMissNotASilence() {
        assertEquals(PING, heartbeat.tick(0, -5));
        assertEquals(PING, heartbeat.tick(BEAT, 10));
        long late = BEAT + 4 * BEAT;
        assertEquals(PING, heartbeat.tick(late, 10));
        assertEquals(1, heartbeat.missed());
        long answered = late + 3;
        assertEquals(PING, heartbeat.tick(late + BEAT, answered));
        assertEquals(0, heartbeat.missed());
    }

    @Test
    void anyTrafficBetweenMissesStartsTheCountAgain() {
        assertEquals(PING, heartbeat.tick(0, -5));
        assertEquals(PING, heartbeat.tick(BEAT, -5));
        assertEquals(PING, heartbeat.tick(2 * BEAT, -5));
        assertEquals(2, heartbeat.missed());
        long message = 2 * BEAT + 500;
        assertEquals(PING, heartbeat.tick(3 * BEAT, message), "a message answers the ping as a pong would");
        assertEquals(PING, heartbeat.tick(4 * BEAT, message));
        assertEquals(PING, heartbeat.tick(5 * BEAT, message));
        assertEquals(DROP, heartbeat.tick(6 * BEAT, message));
    }

    @Test
    void anEarlyWakeUpNeitherPingsAgainNorCountsAMiss() {
        assertEquals(PING, heartbeat.tick(0, -5));
        assertEquals(WAIT, heartbeat.tick(BEAT / 2, -5), "the ping has not had its heartbeat yet");
        assertEquals(0, heartbeat.missed());
        assertEquals(PING, heartbeat.tick(BEAT, -5));
        assertEquals(1, heartbeat.missed());
    }
}
