package dev.weft.gateway.config;

import java.time.Duration;
import java.util.List;

import dev.weft.http.config.ConfigSection;

/**
 * Instances discovered from a DNS name: every address it resolves to, with one port. This is how a Kubernetes
 * headless service is consumed: its name resolves to one A record per ready pod.
 *
 * @param name    the name to resolve
 * @param port    the port every instance listens on
 * @param refresh how often the name is resolved again
 */
public record DnsConfig(String name, int port, Duration refresh) {
    /**
     * 5 s: pods come and go within seconds; resolving every 5 s costs nothing. The JVM caches answers for 30 s
     * unless {@code networkaddress.cache.ttl} says otherwise (the standalone gateway sets it to this interval).
     */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(5);

    static DnsConfig from(ConfigSection t) {
        DnsConfig d = new DnsConfig(t.string("name", null), t.integer("port", 0),
                t.duration("refresh", DEFAULT_REFRESH));
        t.rejectUnknownKeys(List.of("name", "port", "refresh"));
        return d;
    }

    void validate(String path, List<String> problems) {
        Validation.required(path + ".name", name, problems);
        Validation.port(path + ".port", port, problems);
        Validation.positive(path + ".refresh", refresh, problems);
    }
}
