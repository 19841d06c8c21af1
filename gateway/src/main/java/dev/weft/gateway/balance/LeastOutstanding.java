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
    public Instance pick(List<Instance> instances, List<Instance> excluded, long nowNanos) {
        if (instances.isEmpty()) {
            return null;
        }
        return LoadBalancer.lowest(instances, excluded, nowNanos, Math.floorMod(next.getAndIncrement(), instances.size()),
                Instance::outstanding);
    }
}
