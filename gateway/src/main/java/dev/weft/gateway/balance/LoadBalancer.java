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
    Instance pick(List<Instance> instances, List<Instance> excluded);

    /** True when {@code i} may be chosen: not excluded and, unless {@code panic}, available. */
    static boolean eligible(Instance i, List<Instance> excluded, long now, boolean panic) {
        return (panic || i.available(now)) && (excluded.isEmpty() || !excluded.contains(i));
    }
}
