package dev.weft.gateway.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.gateway.balance.UpstreamGroup;
import dev.weft.gateway.config.DnsConfig;

/**
 * Keeps a group's instances equal to every address a DNS name resolves to (all A and AAAA records), as a
 * Kubernetes headless service publishes one record per ready pod. {@link #refresh} resolves once; the gateway
 * calls it every {@code refresh} interval. A failed or empty answer keeps the previous instances: a DNS hiccup must
 * not take a whole service out of rotation.
 */
public final class DnsDiscovery {
    private static final Logger log = LoggerFactory.getLogger(DnsDiscovery.class);

    private final DnsConfig config;
    private final Resolver resolver;
    private final UpstreamGroup group;

    public DnsDiscovery(DnsConfig config, Resolver resolver, UpstreamGroup group) {
        this.config = config;
        this.resolver = resolver;
        this.group = group;
    }

    /** Resolves the name and updates the group; returns false (keeping the old instances) when that failed. */
    public boolean refresh() {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(config.name());
        } catch (UnknownHostException e) {
            log.warn("upstream {}: cannot resolve {} ({}); keeping {} instances", group.name(), config.name(),
                    e.getMessage(), group.instances().size());
            return false;
        }
        if (addresses.isEmpty()) {
            log.warn("upstream {}: {} resolved to no address; keeping {} instances", group.name(), config.name(),
                    group.instances().size());
            return false;
        }
        List<InetSocketAddress> next = new ArrayList<>(addresses.size());
        for (InetAddress a : addresses) {
            InetSocketAddress s;
            try {
                // by address alone: every record of the name would otherwise be called by the same name
                s = new InetSocketAddress(InetAddress.getByAddress(a.getAddress()), config.port());
            } catch (UnknownHostException e) {
                throw new IllegalStateException("an address the resolver returned has a bad length", e);
            }
            if (!next.contains(s)) {
                next.add(s);
            }
        }
        next.sort(Comparator.comparing(s -> s.getAddress().getHostAddress()));
        List<InetSocketAddress> before = group.instances().stream().map(i -> i.address()).toList();
        if (!before.equals(next)) {
            log.info("upstream {}: {} now resolves to {}", group.name(), config.name(), next);
            group.update(next);
        }
        return true;
    }
}
