package dev.weft.http;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A small lock-free pool of equal-sized byte arrays, shared by the connections of one server.
 *
 * <p>A connection holds an output buffer only while it is busy and returns it before it waits for the next request:
 * idle keep-alive connections then cost no buffer at all, and busy ones do not allocate and zero a fresh array per
 * request. The pool is bounded; beyond it buffers are simply allocated and left to the garbage collector. Slots are
 * probed from a per-thread start so that concurrent connections rarely contend on one slot.
 */
final class BufferPool {
    private static final int PROBES = 4;

    private final int bufferSize;
    private final AtomicReferenceArray<byte[]> slots;
    private final int mask;

    /** @param slots a power of two */
    BufferPool(int bufferSize, int slots) {
        this.bufferSize = bufferSize;
        this.slots = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
    }

    int bufferSize() {
        return bufferSize;
    }

    byte[] acquire() {
        int i = (int) Thread.currentThread().threadId();
        for (int k = 0; k < PROBES; k++) {
            int slot = (i + k) & mask;
            byte[] b = slots.getPlain(slot);
            if (b != null && slots.compareAndSet(slot, b, null)) {
                return b;
            }
        }
        return new byte[bufferSize];
    }

    void release(byte[] b) {
        if (b.length != bufferSize) {
            return;
        }
        int i = (int) Thread.currentThread().threadId();
        for (int k = 0; k < PROBES; k++) {
            int slot = (i + k) & mask;
            if (slots.getPlain(slot) == null && slots.compareAndSet(slot, null, b)) {
                return;
            }
        }
    }
}
