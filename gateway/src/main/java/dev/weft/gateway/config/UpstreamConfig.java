package dev.weft.gateway.config;

import java.time.Duration;
import java.util.List;

import dev.weft.http.config.ConfigSection;

/**
 * A group of interchangeable instances of one service.
 *
 * @param name               the group's name, which routes refer to
 * @param balancer           how an instance is chosen for each request
 * @param instances          static instances as {@code host:port}; empty when {@code dns} is used
 * @param dns                instances from every address record of a name, or null for static instances
 * @param healthCheck        active health checks
 * @param ejection           passive health: when a failing instance is taken out, and for how long
 * @param maxIdlePerInstance keep-alive connections kept open per instance between requests
 * @param idleTimeout        how long an unused pooled connection is kept
 */
public record UpstreamConfig(String name, Balancer balancer, List<String> instances, DnsConfig dns,
                             HealthCheckConfig healthCheck, EjectionConfig ejection, int maxIdlePerInstance,
                             Duration idleTimeout) {
    /** How an instance is chosen. */
    public enum Balancer {
        ROUND_ROBIN,
        LEAST_OUTSTANDING
    }

    /** 256: enough for the concurrency of a busy gateway on a few cores, so steady load opens no new connections. */
    public static final int DEFAULT_MAX_IDLE = 256;
    /**
     * 30 s: below the idle timeouts of common servers (Go has none by default, nginx 75 s, Weft 60 s), so the
     * gateway closes an idle connection before the instance does and rarely sends on a dead one.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    public UpstreamConfig {
        instances = instances == null ? List.of() : List.copyOf(instances);
    }

    /** Static instances, round robin, no active checks, the default ejection and pool. */
    public static UpstreamConfig of(String name, List<String> instances) {
        return new UpstreamConfig(name, Balancer.ROUND_ROBIN, instances, null, HealthCheckConfig.disabled(),
                EjectionConfig.defaults(), DEFAULT_MAX_IDLE, DEFAULT_IDLE_TIMEOUT);
    }

    public UpstreamConfig withBalancer(Balancer b) {
        return new UpstreamConfig(name, b, instances, dns, healthCheck, ejection, maxIdlePerInstance, idleTimeout);
    }

    public UpstreamConfig withHealthCheck(HealthCheckConfig h) {
        return new UpstreamConfig(name, balancer, instances, dns, h, ejection, maxIdlePerInstance, idleTimeout);
    }

    public UpstreamConfig withEjection(EjectionConfig e) {
        return new UpstreamConfig(name, balancer, instances, dns, healthCheck, e, maxIdlePerInstance, idleTimeout);
    }

    public UpstreamConfig withDns(DnsConfig d) {
        return new UpstreamConfig(name, balancer, List.of(), d, healthCheck, ejection, maxIdlePerInstance,
                idleTimeout);
    }

    static UpstreamConfig from(String name, ConfigSection t) {
        UpstreamConfig u = new UpstreamConfig(name, t.enumValue("balancer", Balancer.class, Balancer.ROUND_ROBIN),
                t.strings("instances", List.of()),
                t.has("dns") ? DnsConfig.from(t.section("dns")) : null,
                HealthCheckConfig.from(t.section("healthCheck")),
                EjectionConfig.from(t.section("ejection")),
                t.integer("maxIdlePerInstance", DEFAULT_MAX_IDLE),
                t.duration("idleTimeout", DEFAULT_IDLE_TIMEOUT));
        t.rejectUnknownKeys(List.of("balancer", "instances", "dns", "healthCheck", "ejection", "maxIdlePerInstance",
                "idleTimeout"));
        return u;
    }

    void validate(String path, List<String> problems) {
        if (instances.isEmpty() && dns == null) {
            problems.add(path + ".instances: give at least one host:port, or a dns section");
        }
        if (!instances.isEmpty() && dns != null) {
            problems.add(path + ": give either instances or dns, not both");
        }
        for (int i = 0; i < instances.size(); i++) {
            String hostPort = instances.get(i);
            int colon = hostPort.lastIndexOf(':');
            String where = path + ".instances[" + i + "]";
            if (colon <= 0) {
                problems.add(where + ": must be host:port, got '" + hostPort + "'");
                continue;
            }
            try {
                Validation.port(where, Integer.parseInt(hostPort.substring(colon + 1)), problems);
            } catch (NumberFormatException e) {
                problems.add(where + ": the port must be a number, got '" + hostPort + "'");
            }
        }
        if (dns != null) {
            dns.validate(path + ".dns", problems);
        }
        healthCheck.validate(path + ".healthCheck", problems);
        ejection.validate(path + ".ejection", problems);
        if (maxIdlePerInstance < 0) {
            problems.add(path + ".maxIdlePerInstance: must be 0 or more, got " + maxIdlePerInstance);
        }
        Validation.positive(path + ".idleTimeout", idleTimeout, problems);
    }
}
