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
 * <p><b>How a thread finds its cell.</b> Slot {@code threadId mod 256} holds the cell of one thread, its owner: one
 * flat array holds every slot, each the owner's thread id followed by its counts. The owner finds its counts by
 * comparing its id with the slot's first element, with no dependent load between its id and its count (cheaper
 * than a {@link ThreadLocal}'s hash probe, and than an array of per-thread arrays: module README, Numbers). A thread
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
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int SLOTS = 256;
    /**
     * A slot's length in {@code cells}, as a shift: 16 longs, the owner's id and up to 15 counts. 128 bytes, so that two
     * owners share neither a cache line nor the pair of lines that Intel's adjacent-line prefetcher fetches together.
     */
    private static final int SLOT_SHIFT = 4;
    /** The most counters one instance holds. */
    public static final int MAX_SIZE = (1 << SLOT_SHIFT) - 1;

    private final int size;
    /**
     * Slot {@code s} is {@code cells[s << SLOT_SHIFT]}, its owner's {@link Thread#threadId()} (0 while it has none; ids
     * are positive), then that thread's counts. Ids are written under {@code lock}; a slot's counts only by its owner
     * (and, once the owner has terminated, under {@code lock}). A thread that reads its own id in a slot owns it: only
     * the thread itself writes its id there, and a slot is taken from its owner only after the owner has terminated.
     */
    private final long[] cells = new long[SLOTS << SLOT_SHIFT];
    /**
     * The thread whose id slot {@code s} holds, to tell when it has terminated. Written under {@code lock}; a thread
     * whose slot is taken reads it without, to count in {@code shared} without taking the lock.
     */
    private final Thread[] owners = new Thread[SLOTS];
    private final LongAdder[] shared;
    private final Object lock = new Object();
    /** Guarded by {@code lock}: what terminated threads counted. */
    private final long[] retired;

    /** {@code size} counters, numbered from 0, each starting at 0; at most {@link #MAX_SIZE}. */
    public ThreadCounts(int size) {
        if (size <= 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be 1 to " + MAX_SIZE + ", was " + size);
        }
        this.size = size;
        this.retired = new long[size];
        this.shared = new LongAdder[size];
        for (int i = 0; i < size; i++) {
            shared[i] = new LongAdder();
        }
    }

    /** Adds one to counter {@code index}, which must be in {@code [0, size)} (not checked: it is on every hit). */
    public void increment(int index) {
        long me = Thread.currentThread().threadId();
        int base = ((int) me & (SLOTS - 1)) << SLOT_SHIFT;
        long[] cells = this.cells;
        if ((long) CELLS.getOpaque(cells, base) == me) {
            int i = base + 1 + index;
            CELLS.setOpaque(cells, i, cells[i] + 1);
            return;
        }
        incrementSlow(index);
    }

    private void incrementSlow(int index) {
        Thread me = Thread.currentThread();
        int slot = (int) me.threadId() & (SLOTS - 1);
        Thread owner = owners[slot];
        if (owner == null || !owner.isAlive()) {
            synchronized (lock) {
                owner = owners[slot];
                if (owner == null || !owner.isAlive()) {
                    retire(slot);
                    owners[slot] = me;
                    CELLS.setOpaque(cells, slot << SLOT_SHIFT, me.threadId());
                    int i = (slot << SLOT_SHIFT) + 1 + index;
                    CELLS.setOpaque(cells, i, cells[i] + 1);
                    return;
                }
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
                    total += (long) CELLS.getOpaque(cells, (slot << SLOT_SHIFT) + 1 + index);
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
        int base = slot << SLOT_SHIFT;
        for (int i = 0; i < size; i++) {
            retired[i] += cells[base + 1 + i];
            cells[base + 1 + i] = 0;
        }
        CELLS.setOpaque(cells, base, 0L);
        owners[slot] = null;
    }
}
