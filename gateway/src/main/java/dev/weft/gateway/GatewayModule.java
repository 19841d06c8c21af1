package dev.weft.gateway;

import java.security.Security;
import java.util.Map;
import java.util.OptionalLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.config.ConfigSection;
import dev.weft.gateway.config.DnsConfig;
import dev.weft.gateway.config.GatewayConfig;
import dev.weft.gateway.config.UpstreamConfig;
import dev.weft.health.HealthCheck;
import dev.weft.http.ServeMux;
import dev.weft.service.Modules;
import dev.weft.service.StartableModule;
import dev.weft.service.Weft;

/**
 * {@code gateway:} on the service skeleton: opens a {@link Gateway} on the service's registry, mounts its routes
 * beside the service's own, adds its readiness checks ({@link Gateway#healthChecks}: each upstream group has a live
 * instance, and Redis answers when the rate limit uses it), and makes it available as
 * {@code modules.get(Gateway.class)}. {@link GatewayModuleProvider} turns it on for any service that has this
 * module on its class path and the section in its configuration.
 */
public final class GatewayModule implements StartableModule {
    private static final Logger log = LoggerFactory.getLogger(GatewayModule.class);

    private final GatewayConfig config;
    private Gateway gateway;

    GatewayModule(GatewayConfig config) {
        this.config = config;
    }

    /**
     * Reads the section (its problems go to the section's tree, reported with every other section's before the
     * server binds) and caps the JVM's DNS cache for the DNS-discovered groups; opens nothing.
     */
    static GatewayModule read(ConfigSection section) {
        GatewayConfig config = GatewayConfig.from(section);
        capDnsCache(config);
        return new GatewayModule(config);
    }

    @Override
    public void open(Modules modules, ServeMux mux) {
        gateway = new Gateway(config, modules.registry());
        gateway.register(mux);
        for (Map.Entry<String, HealthCheck> check : gateway.healthChecks().entrySet()) {
            modules.health().addCheck(check.getKey(), Weft.CHECK_TIMEOUT, check.getValue());
        }
        modules.put(Gateway.class, gateway);
        log.info("gateway: {} route{} to {}", config.routes().size(), config.routes().size() == 1 ? "" : "s",
                describeUpstreams());
    }

    private String describeUpstreams() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, UpstreamConfig> e : config.upstreams().entrySet()) {
            UpstreamConfig u = e.getValue();
            b.append(b.isEmpty() ? "" : ", ").append(e.getKey()).append(" (");
            if (u.dns() != null) {
                b.append("dns ").append(u.dns().name()).append(':').append(u.dns().port()).append(", ");
            }
            int n = gateway.group(e.getKey()).instances().size();
            b.append(n).append(n == 1 ? " instance)" : " instances)");
        }
        return b.toString();
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Override
    public String toString() {
        return "the gateway";
    }

    /**
     * The JVM caches DNS answers for 30 s by default (the security property {@code networkaddress.cache.ttl}); a
     * DNS-discovered group must see new instances at its own refresh interval, so the cache lives no longer than
     * the shortest one. JVM-wide, and read once by the JDK at the first lookup: this runs while the configuration is
     * read, before anything resolves. A shorter TTL already set is kept.
     */
    static void capDnsCache(GatewayConfig config) {
        OptionalLong shortest = config.upstreams().values().stream().map(UpstreamConfig::dns)
                .filter(d -> d != null && d.refresh() != null).map(DnsConfig::refresh)
                .mapToLong(r -> Math.max(1, r.toSeconds())).min();
        if (shortest.isEmpty()) {
            return;
        }
        long current = currentDnsCacheSeconds();
        if (current < 0 || current > shortest.getAsLong()) {
            Security.setProperty("networkaddress.cache.ttl", Long.toString(shortest.getAsLong()));
        }
    }

    /** The JVM's DNS cache TTL in seconds as set now: -1 is "forever"; unset, the JDK's default of 30. */
    private static long currentDnsCacheSeconds() {
        String ttl = Security.getProperty("networkaddress.cache.ttl");
        if (ttl == null) {
            ttl = System.getProperty("sun.net.inetaddr.ttl");
        }
        try {
            return ttl == null ? 30 : Long.parseLong(ttl.strip());
        } catch (NumberFormatException e) {
            return 30;
        }
    }
}
