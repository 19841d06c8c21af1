/**
 * The GC report: {@link dev.weft.ops.gc.GcLogParser} reads a unified GC log into a {@link dev.weft.ops.gc.GcLog},
 * {@link dev.weft.ops.gc.GcSummary} computes throughput, pause percentiles and rates and judges them against a
 * profile's {@link dev.weft.ops.gc.Goal}, and {@link dev.weft.ops.gc.GcReport} is the command line.
 */
package dev.weft.ops.gc;
