package dev.weft.gateway.health;

import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.gateway.balance.Instance;
import dev.weft.gateway.config.EjectionConfig;
import dev.weft.gateway.metrics.GatewayMetrics;

/**
 * Ejects an instance after {@code consecutiveFailures} failed exchanges in a row, for {@code duration}; after that
 * the instance gets traffic again, and its first success readmits it for good. Only transport failures count
 * (refused or reset connections, timeouts, broken responses): a 5xx is an answer, and the service's own business.
 *
 * <p>Time comes from an injected nanosecond clock, the one its {@link dev.weft.gateway.balance.UpstreamGroup} judges
 * ejections by ({@link System#nanoTime()} in service), so that a test steps past an ejection instead of sleeping.
 */
public final class PassiveHealth {
    private static final Logger log = LoggerFactory.getLogger(PassiveHealth.class);

    private final String upstream;
    private final EjectionConfig config;
    private final GatewayMetrics metrics;
    private final LongSupplier clock;

    public PassiveHealth(String upstream, EjectionConfig config, GatewayMetrics metrics) {
        this(upstream, config, metrics, System::nanoTime);
    }

    public PassiveHealth(String upstream, EjectionConfig config, GatewayMetrics metrics, LongSupplier clock) {
        this.clock = clock;
        this.upstream = upstream;
        this.config = config;
        this.metrics = metrics;
    }

    public void onSuccess(Instance i) {
        if (i.consecutiveFailures().get() != 0) {
            i.consecutiveFailures().set(0);
        }
        if (i.wasEjected() && !i.ejected(clock.getAsLong())) {
            i.readmit();
        }
    }

    /** Records a failure; returns true when it ejected the instance. */
    public boolean onFailure(Instance i) {
        int failures = i.consecutiveFailures().incrementAndGet();
        long now = clock.getAsLong();
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
