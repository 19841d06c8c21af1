package dev.weft.gateway.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.gateway.balance.Instance;
import dev.weft.gateway.config.EjectionConfig;
import dev.weft.gateway.metrics.GatewayMetrics;

/**
 * Ejects an instance after {@code consecutiveFailures} failed exchanges in a row, for {@code duration}; after that
 * the instance gets traffic again, and its first success readmits it for good. Only transport failures count
 * (refused or reset connections, timeouts, broken responses): a 5xx is an answer, and the service's own business.
 */
public final class PassiveHealth {
    private static final Logger log = LoggerFactory.getLogger(PassiveHealth.class);

    private final String upstream;
    private final EjectionConfig config;
    private final GatewayMetrics metrics;

    public PassiveHealth(String upstream, EjectionConfig config, GatewayMetrics metrics) {
        this.upstream = upstream;
        this.config = config;
        this.metrics = metrics;
    }

    public void onSuccess(Instance i) {
        if (i.consecutiveFailures().get() != 0) {
            i.consecutiveFailures().set(0);
        }
        if (i.wasEjected() && !i.ejected(System.nanoTime())) {
            i.readmit();
        }
    }

    /** Records a failure; returns true when it ejected the instance. */
    public boolean onFailure(Instance i) {
        int failures = i.consecutiveFailures().incrementAndGet();
        long now = System.nanoTime();
        if (failures < config.consecutiveFailures() || i.ejected(now)) {
            return false;
        }
        i.consecutiveFailures().set(0);
        i.eject(now + config.duration().toNanos());
        metrics.ejection(upstream, i.name());
        log.warn("upstream {}: instance {} ejected for {} after {} consecutive failures", upstream, i.name(),
                config.duration(), failures);
        return true;
    }
}
