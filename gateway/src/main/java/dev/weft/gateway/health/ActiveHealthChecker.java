package dev.weft.gateway.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.gateway.balance.Instance;
import dev.weft.gateway.balance.UpstreamGroup;
import dev.weft.gateway.client.ResponseHead;
import dev.weft.gateway.client.UpstreamConnection;
import dev.weft.gateway.config.HealthCheckConfig;
import dev.weft.gateway.metrics.GatewayMetrics;

/**
 * Probes every instance of a group with {@code GET <path>} on a fresh connection (so that a probe tests the
 * instance's accept path, not a pooled socket) and takes instances that do not answer 2xx in time out of rotation
 * until a later probe succeeds. {@link #checkAll} runs one round; the gateway calls it every interval.
 */
public final class ActiveHealthChecker {
    private static final Logger log = LoggerFactory.getLogger(ActiveHealthChecker.class);

    private final UpstreamGroup group;
    private final HealthCheckConfig config;
    private final GatewayMetrics metrics;

    public ActiveHealthChecker(UpstreamGroup group, HealthCheckConfig config, GatewayMetrics metrics) {
        this.group = group;
        this.config = config;
        this.metrics = metrics;
    }

    /** Probes every instance in parallel, each on its own virtual thread, and waits for all of them. */
    public void checkAll() throws InterruptedException {
        List<Instance> instances = group.instances();
        CountDownLatch done = new CountDownLatch(instances.size());
        for (Instance i : instances) {
            Thread.startVirtualThread(() -> {
                try {
                    check(i);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
    }

    /** Probes one instance and records the outcome on it. */
    public void check(Instance i) {
        boolean healthy;
        String why = null;
        int timeout = (int) config.timeout().toMillis();
        try (UpstreamConnection c = i.pool().open(timeout)) {
            c.deadline(System.nanoTime() + config.timeout().toNanos());
            byte[] request = ("GET " + config.path() + " HTTP/1.1\r\nHost: " + i.name()
                    + "\r\nUser-Agent: weft-gateway-health\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            c.sendHead(request);
            ResponseHead head = c.readHead("GET");
            healthy = head.status() >= 200 && head.status() < 300;
            if (!healthy) {
                why = "status " + head.status();
            }
        } catch (IOException e) {
            healthy = false;
            why = e.toString();
        }
        if (!healthy) {
            metrics.healthCheckFailure(group.name(), i.name());
        }
        if (healthy != i.activelyHealthy()) {
            i.activelyHealthy(healthy);
            if (healthy) {
                log.info("upstream {}: instance {} passed its health check and is back in rotation", group.name(),
                        i.name());
            } else {
                log.warn("upstream {}: instance {} failed its health check ({}) and is out of rotation",
                        group.name(), i.name(), why);
            }
        }
    }
}
