package dev.weft.cache.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed set of exact counters whose increment is, for most threads, a plain store into a cell that only the
 * calling thread writes: no atomic instruction, no lock, no allocation. Reading sums the cells.
 *
 * <p><b>Why.</b> An L1 hit is a Caffeine look-up of a few nanoseconds, and its {@code cache.gets} counter was one
 * atomic add (Micrometer's {@code DoubleAdder}; an uncontended {@code LongAdder} or an {@code AtomicLong} is the same
 * {@code lock}-prefixed instruction), which cost more than the look-up itself: the hit took 2.9x a bare
 * {@code getIfPresent}. A thread-owned cell costs a few loads and a store. Counts stay exact, unlike sampling or
 * batching. Measured side by side in the module README ("Numbers").
 *
 * <p><b>How a thread finds its cell.</b> Slot {@code threadId mod 256} holds the cell of one thread, its owner. The
 * owner finds it with a field read and an array read (cheaper than a {@link ThreadLocal}'s hash probe). A thread
 * whose slot is free, or held by a thread that has terminated, takes it under a lock, folding the dead owner's counts
 * into a retired total first; a thread whose slot another live thread owns counts in a {@link LongAdder} instead (the
 * old cost, never more). Thread ids grow by one per thread made, so the threads of a pool and a stream of short-lived
 * virtual threads spread over the slots, and a dead thread's slot is reused by the next one that maps to it.
 *
 * <p><b>Contract.</b> {@link #sum} is exact once the increments it should see happen-before it (the threads that made
 * them were joined, or handed over through a latch or a queue); while increments are in flight it may lag by the
 * ones not yet visible, but never counts one twice. Cells are written with opaque stores, so a reader sees every
 * count eventually without such an edge too. Termination happens-before {@link Thread#isAlive()} reading false, so
 * folding a dead thread's cell loses nothing.
 */
public final class ThreadCounts {
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int SLOTS = 256;

    private final int size;
    /**
     * Slot {@code s} holds the counts {@code cells[s]} of the thread {@code owners[s]}. Written under {@code lock},
     * read without it only by owners, each of which reads back its own writes. Two arrays rather than one of cells,
     * so that an increment's two loads do not depend on each other.
     */
    private final Thread[] owners = new Thread[SLOTS];
    private final long[][] cells = new long[SLOTS][];
    private final LongAdder[] shared;
    private final Object lock = new Object();
    /** Guarded by {@code lock}: what terminated threads counted. */
    private final long[] retired;

    /** {@code size} counters, numbered from 0, each starting at 0. */
    public ThreadCounts(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be at least 1, was " + size);
        }
        this.size = size;
        this.retired = new long[size];
        this.shared = new LongAdder[size];
        for (int i = 0; i < size; i++) {
            shared[i] = new LongAdder();
        }
    }

    /** Adds one to counter {@code index}. */
    public void increment(int index) {
        Thread me = Thread.currentThread();
        int slot = (int) me.threadId() & (SLOTS - 1);
        if (owners[slot] == me) {
            long[] counts = cells[slot];
            COUNTS.setOpaque(counts, index, counts[index] + 1);
            return;
        }
        incrementSlow(me, slot, index);
    }

    private void incrementSlow(Thread me, int slot, int index) {
        Thread owner = owners[slot];
        if (owner == null || !owner.isAlive()) {
            synchronized (lock) {
                owner = owners[slot];
                if (owner == null || !owner.isAlive()) {
                    retire(slot);
                    cells[slot] = new long[size];
                    owners[slot] = me;
                    owner = me;
                }
            }
            if (owner == me) {
                long[] counts = cells[slot];
                COUNTS.setOpaque(counts, index, counts[index] + 1);
                return;
            }
        }
        shared[index].increment();
    }

    /** Counter {@code index}: every increment that happened-before this call, and possibly some in flight. */
    public long sum(int index) {
        synchronized (lock) {
            for (int slot = 0; slot < SLOTS; slot++) {
                if (owners[slot] != null && !owners[slot].isAlive()) {
                    retire(slot);
                }
            }
            long total = retired[index] + shared[index].sum();
            for (int slot = 0; slot < SLOTS; slot++) {
                if (owners[slot] != null) {
                    total += (long) COUNTS.getOpaque(cells[slot], index);
                }
            }
            return total;
        }
    }

    /** How many slots have an owner (live threads, and dead ones not yet retired). */
    int cells() {
        synchronized (lock) {
            int n = 0;
            for (Thread owner : owners) {
                n += owner == null ? 0 : 1;
            }
            return n;
        }
    }

    /** Folds the dead owner's counts in {@code slot}, if any, into {@code retired} and frees the slot. Holds lock. */
    private void retire(int slot) {
        if (owners[slot] == null) {
            return;
        }
        long[] counts = cells[slot];
        for (int i = 0; i < size; i++) {
            retired[i] += counts[i];
        }
        owners[slot] = null;
        cells[slot] = null;
    }
}
