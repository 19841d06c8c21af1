package dev.weft.gateway.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The eligible instance with the fewest requests in flight: a slow instance accumulates requests and so gets fewer
 * new ones. Ties go to the next instance in turn, so idle instances share a light load evenly.
 */
public final class LeastOutstanding implements LoadBalancer {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Instance pick(List<Instance> instances, List<Instance> excluded) {
        int n = instances.size();
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(next.getAndIncrement(), n);
        long now = System.nanoTime();
        for (int pass = 0; pass < 2; pass++) {
            Instance best = null;
            int bestLoad = Integer.MAX_VALUE;
            for (int k = 0; k < n; k++) {
                Instance i = instances.get((start + k) % n);
                if (LoadBalancer.eligible(i, excluded, now, pass == 1)) {
                    int load = i.outstanding();
                    if (load < bestLoad) {
                        best = i;
                        bestLoad = load;
                    }
                }
            }
            if (best != null) {
                return best;
            }
        }
        return null;
    }
}
