package dev.weft.ops.gc;

/**
 * One stop-the-world pause.
 *
 * @param gcId          the collection it belongs to ({@code GC(12)}); a ZGC cycle has several pauses
 * @param uptimeSeconds when it ended, in seconds since the JVM started
 * @param kind          what the log calls it, e.g. {@code Pause Young (Normal) (G1 Evacuation Pause)} or
 *                      {@code y: Pause Mark Start}
 * @param millis        how long the application threads were stopped
 */
public record Pause(int gcId, double uptimeSeconds, String kind, double millis) {

    /** Whether this pause collected the whole heap, the event the seed's tuning set out to make rare. */
    public boolean isFull() {
        return kind.startsWith("Pause Full");
    }
}
