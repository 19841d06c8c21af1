package dev.weft.dbpool;

import java.time.Duration;
import java.util.Locale;

/**
 * The advisor's verdict on a pool's size over one observation window, with the numbers behind it.
 *
 * @param verdict          too small, too large, right, or no traffic to judge by
 * @param explanation      one sentence saying which numbers led to the verdict
 * @param poolSize         the pool's maximum size
 * @param window           how long the observation window was
 * @param requests         callers that asked for a connection in the window, served or timed out
 * @param timeouts         callers that timed out waiting in the window
 * @param rejected         callers the bulkhead turned away at once in the window
 * @param meanAcquire      mean wait for a connection in the window, timed-out waits included
 * @param maxAcquire       longest wait for a connection recently (Micrometer's decaying maximum)
 * @param meanUsage        mean time a connection was held in the window (HikariCP measures it in whole ms)
 * @param pending          callers waiting for a connection when the advice was taken
 * @param busyConnections  connections busy on average (Little's law: hand-outs per second x mean usage)
 * @param utilization      {@code busyConnections / poolSize}
 * @param suggestedSize    the size the numbers point to: busy connections plus 20%, or, when callers waited longer
 *                         than they held, the connections the waiting callers wanted; check it against the
 *                         database host's {@code cores x 2 + spindles} before raising a pool
 */
public record PoolAdvice(Verdict verdict, String explanation, int poolSize, Duration window, long requests,
                         long timeouts, long rejected, Duration meanAcquire, Duration maxAcquire,
                         Duration meanUsage, int pending, double busyConnections, double utilization,
                         int suggestedSize) {

    /** What the advisor concluded. */
    public enum Verdict {
        /** Callers timed out or were turned away, or waited for a connection longer than they then held it. */
        TOO_SMALL,
        /** Under a third of the connections were busy on average and nobody waited. */
        TOO_LARGE,
        /** Neither: callers barely waited and the connections were used. */
        RIGHT,
        /** No connection was handed out in the window: there is nothing to judge by. */
        NO_TRAFFIC
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "%s: %s [size %d, window %d ms, %d requests, %d timeouts, %d rejected, "
                        + "acquire mean %.2f ms max %.2f ms, "
                        + "usage mean %.2f ms, pending %d, busy %.2f (%.0f%%), suggested %d]",
                verdict, explanation, poolSize, window.toMillis(), requests, timeouts, rejected, millis(meanAcquire),
                millis(maxAcquire), millis(meanUsage), pending, busyConnections, utilization * 100, suggestedSize);
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }
}
