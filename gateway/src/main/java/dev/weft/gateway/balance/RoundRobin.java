package dev.weft.gateway.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Each eligible instance in turn: even load when instances and requests are alike. */
public final class RoundRobin implements LoadBalancer {
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
            for (int k = 0; k < n; k++) {
                Instance i = instances.get((start + k) % n);
                if (LoadBalancer.eligible(i, excluded, now, pass == 1)) {
                    return i;
                }
            }
        }
        return null;
    }
}
