package dev.weft.cache.local;

/**
 * Wall-clock milliseconds, read with one volatile load, at most about {@link #RESOLUTION_MILLIS} behind
 * {@link System#currentTimeMillis()}. One daemon thread per JVM refreshes it.
 *
 * <p>Why: an L1 hit must check expiry, and on the virtual machines this project runs on
 * {@code System.currentTimeMillis()} costs about 50 ns, more than the Caffeine look-up itself (measured with JMH;
 * see the module README). TTLs are seconds to minutes, so a clock a millisecond or two behind changes nothing
 * that matters: an entry may be served at most that much past its expiry.
 */
public final class CoarseClock {
    /** How often the clock is refreshed. */
    public static final long RESOLUTION_MILLIS = 1;

    private static volatile long now = System.currentTimeMillis();

    static {
        Thread ticker = Thread.ofPlatform().daemon().name("weft-cache-clock").unstarted(() -> {
            while (true) {
                now = System.currentTimeMillis();
                try {
                    Thread.sleep(RESOLUTION_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        ticker.start();
    }

    private CoarseClock() {}

    /** The current time in epoch milliseconds, to within the resolution. */
    public static long millis() {
        return now;
    }
}
