package dev.weft.gateway.balance;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import dev.weft.gateway.client.ConnectionPool;
import dev.weft.gateway.config.UpstreamConfig;

/**
 * The instances of one upstream service and the balancer that chooses among them. The instance list is replaced
 * as a whole by discovery ({@link #update}); readers see either the old or the new list, never a mix.
 */
public final class UpstreamGroup implements AutoCloseable {
    private final String name;
    private final UpstreamConfig config;
    private final LoadBalancer balancer;
    private final LongSupplier ejectionClock;
    private volatile List<Instance> instances = List.of();

    /** The group {@code name} ({@code gateway.upstreams.NAME}), with no instances until {@link #update}. */
    public UpstreamGroup(String name, UpstreamConfig config) {
        this(name, config, System::nanoTime);
    }

    /**
     * With {@code ejectionClock} (nanoseconds, {@link System#nanoTime()} in service) as the time against which an
     * ejected instance's return is judged: the same clock must drive {@link dev.weft.gateway.health.PassiveHealth},
     * which sets the ejections. Injectable so that a test steps past an ejection instead of waiting it out; with
     * {@code System::nanoTime} as the only implementation the call is monomorphic and inlined.
     */
    public UpstreamGroup(String name, UpstreamConfig config, LongSupplier ejectionClock) {
        this.name = name;
        this.ejectionClock = ejectionClock;
        this.config = config;
        this.balancer = switch (config.balancer()) {
            case ROUND_ROBIN -> new RoundRobin();
            case LEAST_OUTSTANDING -> new LeastOutstanding();
        };
    }

    public String name() {
        return name;
    }

    public UpstreamConfig config() {
        return config;
    }

    public List<Instance> instances() {
        return instances;
    }

    /** The instance for the next attempt, avoiding those in {@code excluded}; null when none is left. */
    public Instance pick(List<Instance> excluded) {
        return balancer.pick(instances, excluded, ejectionClock.getAsLong());
    }

    /**
     * Replaces the instance list with {@code addresses}. Instances that stay keep their pools and health state;
     * removed ones have their idle connections closed.
     */
    public synchronized void update(List<InetSocketAddress> addresses) {
        Map<InetSocketAddress, Instance> current = new HashMap<>();
        for (Instance i : instances) {
            current.put(i.address(), i);
        }
        List<Instance> next = new ArrayList<>(addresses.size());
        for (InetSocketAddress a : addresses) {
            Instance kept = current.remove(a);
            next.add(kept != null ? kept
                    : new Instance(a, new ConnectionPool(a, config.maxIdlePerInstance(), config.idleTimeout())));
        }
        instances = List.copyOf(next);
        for (Instance removed : current.values()) {
            removed.pool().close();
        }
    }

    @Override
    public synchronized void close() {
        for (Instance i : instances) {
            i.pool().close();
        }
    }
}
