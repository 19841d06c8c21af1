package dev.weft.ops.gc;

/**
 * The heap around one collection, as its log line states it ({@code 18M->2M(61M)} for G1, Parallel and Serial; a ZGC
 * cycle's {@code 38M(59%)->12M(19%)}).
 *
 * @param uptimeSeconds when the collection ended, in seconds since the JVM started
 * @param beforeBytes   heap in use before it
 * @param afterBytes    heap in use after it: what the application kept alive plus what the collector left
 * @param capacityBytes the heap's committed size after it; -1 when the line does not say (ZGC)
 */
public record HeapSample(double uptimeSeconds, long beforeBytes, long afterBytes, long capacityBytes) {
}
