package dev.weft.ops.gc;

import java.util.List;

/**
 * What a unified GC log says, before any judgement: the facts {@link GcSummary} computes rates and percentiles from.
 *
 * @param collector          the collector that wrote it
 * @param pauses             every stop-the-world pause, in log order
 * @param collections        how many collections (G1, Parallel, Serial: pauses that collect; ZGC: cycles)
 * @param allocationStalls   ZGC only: how often an application thread waited for memory, and for how long in total
 * @param allocationStallMillis the total time of those stalls
 * @param allocatedBytes     bytes allocated between the first and the last collection the log shows
 * @param promotedBytes      bytes that young collections moved into the old generation
 * @param heap               the heap before and after each collection whose line states it, in log order
 * @param startSeconds       uptime of the first line
 * @param endSeconds         uptime of the last line
 * @param jvmStartEpochMillis when the JVM started, from the {@code time} and {@code uptime} decorations of the first
 *                           line that has both; -1 when the log has no {@code time} decoration
 */
public record GcLog(
        Collector collector,
        List<Pause> pauses,
        int collections,
        int allocationStalls,
        double allocationStallMillis,
        long allocatedBytes,
        long promotedBytes,
        List<HeapSample> heap,
        double startSeconds,
        double endSeconds,
        long jvmStartEpochMillis) {

    public GcLog {
        pauses = List.copyOf(pauses);
        heap = List.copyOf(heap);
    }

    /** The wall-clock time of an uptime, in epoch milliseconds; -1 when the log has no {@code time} decoration. */
    public long epochMillis(double uptimeSeconds) {
        return jvmStartEpochMillis < 0 ? -1 : jvmStartEpochMillis + Math.round(uptimeSeconds * 1000);
    }

    /** Wall-clock time the log covers. */
    public double spanSeconds() {
        return endSeconds - startSeconds;
    }
}
