package dev.weft.gateway.config;

import java.time.Duration;
import java.util.List;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;

/**
 * A group of interchangeable instances of one service, an entry of {@code gateway.upstreams}, named by its key
 * there; routes refer to it by that name. Its instances are either listed ({@code instances}) or discovered
 * ({@code dns}).
 *
 * @param balancer           how an instance is chosen for each request
 * @param instances          static instances as {@code host:port}; empty when {@code dns} is used
 * @param dns                instances from every address record of a name, or null for static instances
 * @param healthCheck        active health checks
 * @param ejection           passive health: when a failing instance is taken out, and for how long
 * @param maxIdlePerInstance keep-alive connections kept open per instance between requests
 * @param idleTimeout        how long an unused pooled connection is kept
 */
public record UpstreamConfig(Balancer balancer, List<String> instances, DnsConfig dns, HealthCheckConfig healthCheck,
                             EjectionConfig ejection, int maxIdlePerInstance, Duration idleTimeout) {
    /** How an instance is chosen. */
    public enum Balancer {
        /** Each instance in turn: even for alike requests. */
        ROUND_ROBIN,
        /** The instance with the fewest requests in flight: when some requests are much slower than others. */
        LEAST_OUTSTANDING
    }

    public UpstreamConfig {
        instances = instances == null ? List.of() : List.copyOf(instances);
    }

    /**
     * Round robin, no active checks, the default ejection, 256 idle connections per instance kept 30 s; no
     * instances (the service README gives the reasons).
     */
    public static UpstreamConfig defaults() {
        return new UpstreamConfig(Balancer.ROUND_ROBIN, List.of(), null, HealthCheckConfig.defaults(),
                EjectionConfig.defaults(), 256, Duration.ofSeconds(30));
    }

    /**
     * Reads one upstream; an absent key keeps its default, and the {@code dns} section, when given (in the file or by
     * an override), replaces {@code instances}. Problems, validation included, go to the section's tree.
     */
    public static UpstreamConfig from(ConfigSection s) {
        // The nested sections checked themselves as they were read.
        return s.read(UpstreamConfig.class, defaults(), UpstreamConfig::validateOwn);
    }

    /** Adds every problem under {@code path} ({@code gateway.upstreams.shop}), the nested sections' included. */
    public void validate(String path, Problems problems) {
        validateOwn(path, problems);
        if (dns != null) {
            dns.validate(path + ".dns", problems);
        }
        if (healthCheck == null) {
            problems.add(path + ".healthCheck", "must be set (HealthCheckConfig.defaults() has active checks off)");
        } else {
            healthCheck.validate(path + ".healthCheck", problems);
        }
        if (ejection == null) {
            problems.add(path + ".ejection", "must be set (EjectionConfig.defaults())");
        } else {
            ejection.validate(path + ".ejection", problems);
        }
    }

    /** The checks of this record's own settings; {@link #from} has the nested sections check themselves. */
    private void validateOwn(String path, Problems problems) {
        problems.required(path + ".balancer", balancer);
        if (instances.isEmpty() && dns == null) {
            problems.add(path + ".instances", "must list at least one host:port (or give a dns section instead)");
        }
        if (!instances.isEmpty() && dns != null) {
            problems.add(path + ".instances", "must be empty when a dns section is given, was " + instances);
        }
        problems.hostPorts(path + ".instances", instances);
        problems.notNegative(path + ".maxIdlePerInstance", maxIdlePerInstance);
        problems.positive(path + ".idleTimeout", idleTimeout);
    }
}
