package dev.weft.gateway.balance;

import java.util.List;

/**
 * Chooses the instance for one request.
 *
 * <p>Implementations choose among the instances that are {@link Instance#available available} and not in
 * {@code excluded} (the instances a retry already tried). When no available instance is left they choose among all
 * instances not excluded ("panic mode", as Envoy calls it): when every instance looks unhealthy the health signal is
 * more likely wrong than the whole service down, and trying beats refusing every request. Null means every instance
 * was excluded.
 */
public interface LoadBalancer {
    /** The instance for the next attempt; {@code nowNanos} is the time against which ejections are judged. */
    Instance pick(List<Instance> instances, List<Instance> excluded, long nowNanos);

    /** True when {@code i} may be chosen: not excluded and, unless {@code panic}, available. */
    static boolean eligible(Instance i, List<Instance> excluded, long now, boolean panic) {
        return (panic || i.available(now)) && (excluded.isEmpty() || !excluded.contains(i));
    }

    /**
     * The eligible instance of lowest {@code cost}, scanning from index {@code start} so that ties go to the next
     * in turn; among the available ones first, then (panic mode) among all not excluded; null when none is left.
     */
    static Instance lowest(List<Instance> instances, List<Instance> excluded, long now, int start,
                           java.util.function.ToIntFunction<Instance> cost) {
        int n = instances.size();
        for (int pass = 0; pass < 2; pass++) {
            Instance best = null;
            int bestCost = Integer.MAX_VALUE;
            for (int k = 0; k < n && bestCost > 0; k++) {
                Instance i = instances.get((start + k) % n);
                if (eligible(i, excluded, now, pass == 1)) {
                    int c = cost.applyAsInt(i);
                    if (c < bestCost) {
                        best = i;
                        bestCost = c;
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
