package dev.weft.ops.gc;

import java.util.ArrayList;
import java.util.List;

/**
 * A short allocation workload the GC report test runs in a child JVM under each collector: it allocates a known
 * number of bytes in arrays of 1 to 4 KiB and keeps a rotating window of them alive long enough to be promoted, then
 * prints how many bytes of array payload it allocated.
 */
public final class AllocationWorkload {

    private AllocationWorkload() {
    }

    public static void main(String[] args) {
        long target = Long.parseLong(args[0]);
        int window = 16_000; // about 40 MB live: survives several young collections, so some of it is promoted
        List<byte[]> live = new ArrayList<>(window);
        long allocated = 0;
        for (int i = 0; allocated < target; i++) {
            byte[] b = new byte[1024 + (i % 48) * 64];
            allocated += b.length;
            if (i % 16 == 0) {
                if (live.size() < window) {
                    live.add(b);
                } else {
                    live.set((i / 16) % window, b);
                }
            }
        }
        System.out.println(allocated + " " + live.size());
    }
}
