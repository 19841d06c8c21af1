package dev.weft.gateway.config;

import java.time.Duration;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;

/**
 * Instances discovered from a DNS name, {@code gateway.upstreams.NAME.dns}: every address the name resolves to,
 * with one port. This is how a Kubernetes headless service is consumed: its name resolves to one A record per ready
 * pod. The JVM caches answers for 30 s unless {@code networkaddress.cache.ttl} says otherwise; the standalone
 * gateway sets it to the shortest {@code refresh}, and an application embedding the gateway should do the same.
 *
 * @param name    the name to resolve
 * @param port    the port every instance listens on
 * @param refresh how often the name is resolved again
 */
public record DnsConfig(String name, int port, Duration refresh) {
    /** A refresh every 5 s; {@code name} and {@code port} have no default (null and 0). */
    public static DnsConfig defaults() {
        return new DnsConfig(null, 0, Duration.ofSeconds(5));
    }

    /** Reads the section; an absent key keeps its default; problems, validation included, go to the section's tree. */
    public static DnsConfig from(ConfigSection s) {
        return s.read(DnsConfig.class, defaults(), DnsConfig::validate);
    }

    /** Adds every problem under {@code path} ({@code gateway.upstreams.search.dns}). */
    public void validate(String path, Problems problems) {
        problems.required(path + ".name", name);
        if (port == 0) {
            problems.add(path + ".port", "must be set");
        } else {
            problems.port(path + ".port", port);
        }
        problems.positive(path + ".refresh", refresh);
    }
}
