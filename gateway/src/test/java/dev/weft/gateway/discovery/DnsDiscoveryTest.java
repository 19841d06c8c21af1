package dev.weft.gateway.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.weft.gateway.balance.Instance;
import dev.weft.gateway.balance.UpstreamGroup;
import dev.weft.gateway.config.DnsConfig;
import dev.weft.gateway.config.UpstreamConfig;

class DnsDiscoveryTest {
    private static InetAddress ip(String a) throws UnknownHostException {
        return InetAddress.getByName(a);
    }

    @Test
    void followsEveryAddressRecordAndKeepsStateOfInstancesThatStay() throws Exception {
        AtomicReference<List<InetAddress>> records = new AtomicReference<>(List.of(ip("10.0.0.2"), ip("10.0.0.1")));
        DnsConfig dns = new DnsConfig("shop.default.svc", 8080, Duration.ofSeconds(5));
        UpstreamGroup group = new UpstreamGroup("shop", upstream(dns));
        DnsDiscovery discovery = new DnsDiscovery(dns, name -> {
            assertEquals("shop.default.svc", name);
            List<InetAddress> r = records.get();
            if (r == null) {
                throw new UnknownHostException(name);
            }
            return r;
        }, group);

        assertTrue(discovery.refresh());
        assertEquals(List.of("10.0.0.1:8080", "10.0.0.2:8080"), names(group));
        Instance kept = group.instances().get(1);

        records.set(List.of(ip("10.0.0.2"), ip("10.0.0.3")));
        assertTrue(discovery.refresh());
        assertEquals(List.of("10.0.0.2:8080", "10.0.0.3:8080"), names(group));
        assertSame(kept, group.instances().getFirst(), "a pod that stays keeps its pool and health");

        records.set(null);
        assertFalse(discovery.refresh());
        assertEquals(List.of("10.0.0.2:8080", "10.0.0.3:8080"), names(group), "a failed lookup keeps the last answer");
        records.set(List.of());
        assertFalse(discovery.refresh());
        assertEquals(2, group.instances().size(), "so does an empty one");
    }

    @Test
    void resolvesARealNameWithTheSystemResolver() {
        DnsConfig dns = new DnsConfig("localhost", 8080, Duration.ofSeconds(5));
        UpstreamGroup group = new UpstreamGroup("local", upstream(dns));
        assertTrue(new DnsDiscovery(dns, Resolver.SYSTEM, group).refresh());
        assertTrue(names(group).stream().anyMatch(n -> n.equals("127.0.0.1:8080") || n.endsWith("1:8080")),
                names(group).toString());
    }

    private static UpstreamConfig upstream(DnsConfig dns) {
        UpstreamConfig d = UpstreamConfig.defaults();
        return new UpstreamConfig(d.balancer(), List.of(), dns, d.healthCheck(), d.ejection(), d.maxIdlePerInstance(),
                d.idleTimeout());
    }

    private static List<String> names(UpstreamGroup g) {
        return g.instances().stream().map(Instance::name).toList();
    }
}
