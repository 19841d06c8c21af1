package dev.weft.gateway.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.weft.gateway.client.ConnectionPool;

class LoadBalancerTest {
    private static List<Instance> instances(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> {
            InetSocketAddress a = new InetSocketAddress("10.0.0." + (i + 1), 80);
            return new Instance(a, new ConnectionPool(a, 1, Duration.ofSeconds(1)));
        }).toList();
    }

    @Test
    void roundRobinVisitsEachInTurnAndSkipsExcludedAndEjected() {
        List<Instance> all = instances(3);
        RoundRobin rr = new RoundRobin();
        Map<Instance, Integer> counts = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            counts.merge(rr.pick(all, List.of(), System.nanoTime()), 1, Integer::sum);
        }
        assertEquals(List.of(100, 100, 100), all.stream().map(counts::get).toList());

        all.get(1).eject(System.nanoTime() + Duration.ofMinutes(1).toNanos());
        for (int i = 0; i < 10; i++) {
            Instance picked = rr.pick(all, List.of(all.get(0)), System.nanoTime());
            assertSame(all.get(2), picked, "1 is ejected and 0 excluded");
        }
    }

    @Test
    void panicModeWhenNoInstanceIsAvailable() {
        List<Instance> all = instances(2);
        all.forEach(i -> i.activelyHealthy(false));
        RoundRobin rr = new RoundRobin();
        assertSame(all.get(1), rr.pick(all, List.of(all.get(0)), System.nanoTime()),
                "all unhealthy: still try one not excluded");
        assertNull(rr.pick(all, all, System.nanoTime()), "every instance excluded");
        assertNull(new LeastOutstanding().pick(List.of(), List.of(), System.nanoTime()));
    }

    @Test
    void leastOutstandingPicksTheLeastBusy() {
        List<Instance> all = instances(3);
        all.get(0).begin();
        all.get(0).begin();
        all.get(1).begin();
        LeastOutstanding lo = new LeastOutstanding();
        for (int i = 0; i < 5; i++) {
            assertSame(all.get(2), lo.pick(all, List.of(), System.nanoTime()));
        }
        all.get(2).begin();
        all.get(2).begin();
        assertSame(all.get(1), lo.pick(all, List.of(), System.nanoTime()));
        Map<Instance, Integer> ties = new HashMap<>();
        List<Instance> idle = instances(3);
        for (int i = 0; i < 30; i++) {
            ties.merge(lo.pick(idle, List.of(), System.nanoTime()), 1, Integer::sum);
        }
        assertEquals(List.of(10, 10, 10), idle.stream().map(ties::get).toList(), "ties rotate");
    }
}
