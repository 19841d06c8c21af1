package dev.weft.http;

import java.util.concurrent.locks.LockSupport;

/**
 * Gives up the carrier thread after every {@value #QUANTUM} bytes a connection moves. Virtual threads are not
 * preempted: a connection whose client keeps its socket full (pipelining without pause, a fast upload or download)
 * never blocks, so it would keep its carrier, on a two-core machine half the server, for as long as the client keeps
 * going. Measured with one such client per core: another client's request waited 12 s, and then past a 60 s timeout,
 * behind them; with this, at most 20 ms.
 *
 * <p>{@code Thread.yield()} does not do it: the yielding thread goes back into the scheduler queue it was taken from,
 * and the ForkJoinPool worker keeps draining that queue, so it gets the carrier straight back. A park of one
 * nanosecond leaves the queue empty until the timer re-submits the thread, and the worker scans the other queues
 * meanwhile. It costs a few microseconds, once per 64 KiB.
 */
final class FairShare {
    static final int QUANTUM = 64 * 1024;

    private int bytes;

    /** Counts {@code n} bytes moved, and lets the others run when a quantum is used up. */
    void moved(int n) {
        bytes += n;
        if (bytes >= QUANTUM) {
            bytes = 0;
            LockSupport.parkNanos(1);
        }
    }
}
