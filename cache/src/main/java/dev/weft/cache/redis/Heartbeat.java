package dev.weft.cache.redis;

/**
 * What the invalidation subscriber's heartbeat does at each tick: ping, wait, or drop the subscription as lost. One
 * per subscription, used by one thread; times are {@link System#nanoTime()} values passed in, so that the decision
 * is tested without Redis or a real clock.
 *
 * <p>The subscription counts as lost after {@link #MISSES} pings in a row went unanswered, each given at least one
 * heartbeat to be answered; any traffic from Redis (a pong, a message) since a ping answers it. Counted in pings, not
 * in time since Redis was last heard: on a starved machine (load average 37 on 2 cores, a full test run) the time
 * rule found a live subscription "silent for 3.98 s" and dropped it, clearing L1, while the silence was the
 * machine's: a heartbeat thread that wakes late, or a pong not yet read from the socket, is not Redis going quiet.
 * A late tick now costs one miss at most, and the next ping, answered, clears it. A network that is really silent
 * is still noticed after about {@code MISSES} heartbeats, as before.
 */
final class Heartbeat {
    /** Unanswered pings in a row that count as a lost subscription. */
    static final int MISSES = 3;

    /** What the heartbeat thread does now. */
    enum Action {
        /** Send a ping (the heartbeat has recorded it as sent now). */
        PING,
        /** Nothing: the last ping has not had a heartbeat to be answered yet (the thread woke early). */
        WAIT,
        /** Drop the subscription: {@link #MISSES} pings in a row went unanswered. */
        DROP
    }

    private final long heartbeatNanos;
    private boolean pinged;
    private long pingedAt;
    private int missed;

    Heartbeat(long heartbeatNanos) {
        this.heartbeatNanos = heartbeatNanos;
    }

    /**
     * The action at {@code now}, given {@code lastHeard}, when traffic from Redis last arrived on the subscription.
     * After {@link Action#PING} the caller sends the ping.
     */
    Action tick(long now, long lastHeard) {
        if (pinged) {
            if (lastHeard - pingedAt >= 0) {
                missed = 0;
            } else if (now - pingedAt < heartbeatNanos) {
                return Action.WAIT;
            } else if (++missed >= MISSES) {
                return Action.DROP;
            }
        }
        pinged = true;
        pingedAt = now;
        return Action.PING;
    }

    /** Unanswered pings in a row so far. */
    int missed() {
        return missed;
    }
}
