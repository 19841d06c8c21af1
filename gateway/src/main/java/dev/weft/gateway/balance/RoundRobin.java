package dev.weft.gateway.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Each eligible instance in turn: even load when instances and requests are alike. */
public final class RoundRobin implements LoadBalancer {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Instance pick(List<Instance> instances, List<Instance> excluded, long nowNanos) {
        if (instances.isEmpty()) {
            return null;
        }
        return LoadBalancer.lowest(instances, excluded, nowNanos, Math.floorMod(next.getAndIncrement(), instances.size()),
                i -> 0);
    }
}
