package dev.weft.cache.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed set of exact counters whose increment is a plain store into a cell that only the calling thread writes:
 * no atomic instruction, no lock and, after a thread's first increment, no allocation. Reading sums the cells.
 *
 * <p><b>Why.</b> An L1 hit is a Caffeine look-up of a few nanoseconds, and its {@code cache.gets} counter was one
 * atomic add (Micrometer's {@code DoubleAdder}; a {@code LongAdder} or {@code AtomicLong} is the same instruction),
 * which on this project's shared machine cost more than the look-up itself (JMH, module README: the hit took 2.9x
 * a bare {@code getIfPresent}). An uncontended {@code LongAdder} still does a {@code lock cmpxchg} per increment;
 * a thread-owned cell does a load and a store. Counts stay exact, unlike sampling or batching.
 *
 * <p><b>Contract.</b> {@link #sum} is exact once the increments it should see happen-before it (the threads that made
 * them were joined, or handed over through a latch, a queue, ...); while increments are in flight it may lag by the
 * ones not yet visible, never count one twice, and never go backwards. Cells are written with opaque stores, so a
 * reader sees every count eventually even without such an edge.
 *
 * <p><b>Threads come and go.</b> A thread's cell is found through a {@link ThreadLocal} (one map probe) and
 * registered once under a lock. A cell whose thread has terminated is folded into a retired total and dropped when
 * the counters are read, and whenever the number of cells has doubled since the last sweep, so one virtual thread
 * per connection or per request leaves no cells behind. Termination happens-before {@link Thread#isAlive()} reading
 * false, so folding a dead thread's cell loses nothing.
 */
public final class ThreadCounts {
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final int size;
    private final ThreadLocal<long[]> mine = ThreadLocal.withInitial(this::register);
    private final Object lock = new Object();
    /** Guarded by {@code lock}: the live threads' cells, each with its owner. */
    private final List<Cell> cells = new ArrayList<>();
    /** Guarded by {@code lock}: what terminated threads counted. */
    private final long[] retired;
    /** Guarded by {@code lock}: sweep when {@code cells} grows to this size. */
    private int sweepAt = 64;

    private record Cell(Thread owner, long[] counts) {}

    /** {@code size} counters, numbered from 0, each starting at 0. */
    public ThreadCounts(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be at least 1, was " + size);
        }
        this.size = size;
        this.retired = new long[size];
    }

    /** Adds one to counter {@code index}. */
    public void increment(int index) {
        long[] counts = mine.get();
        COUNTS.setOpaque(counts, index, counts[index] + 1);
    }

    /** Counter {@code index}: every increment that happened-before this call, and possibly some in flight. */
    public long sum(int index) {
        synchronized (lock) {
            sweep();
            long total = retired[index];
            for (Cell cell : cells) {
                total += (long) COUNTS.getOpaque(cell.counts, index);
            }
            return total;
        }
    }

    /** How many cells are registered (live threads', and dead ones' not yet swept). */
    int cells() {
        synchronized (lock) {
            return cells.size();
        }
    }

    private long[] register() {
        long[] counts = new long[size];
        synchronized (lock) {
            cells.add(new Cell(Thread.currentThread(), counts));
            if (cells.size() >= sweepAt) {
                sweep();
                sweepAt = Math.max(64, 2 * cells.size());
            }
        }
        return counts;
    }

    /** Folds the cells of terminated threads into {@code retired}. Holds {@code lock}. */
    private void sweep() {
        cells.removeIf(cell -> {
            if (cell.owner.isAlive()) {
                return false;
            }
            for (int i = 0; i < size; i++) {
                retired[i] += cell.counts[i];
            }
            return true;
        });
    }
}
