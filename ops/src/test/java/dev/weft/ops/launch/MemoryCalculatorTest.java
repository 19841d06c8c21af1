package dev.weft.ops.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The launcher's memory calculator against fixture cgroup trees: it must find the limit where each cgroup version
 * keeps it, split it the way the Paketo calculator does, and refuse a container too small for the non-heap part.
 */
class MemoryCalculatorTest {

    private static final long MiB = 1 << 20;

    static Iterable<String> shells() {
        return Launcher.shells();
    }

    /**
     * Paketo's arithmetic with the launcher's defaults: 5 % head room, 10000 classes x 5800 B + 14 MB of
     * metaspace, 240 MiB code cache, 10 MiB direct memory, 50 threads x 1 MiB of stack; the rest is heap.
     */
    private static long expectedHeapMiB(long total) {
        long nonHeap = total * 5 / 100 + 10_000L * 5800 + 14_000_000 + 240 * MiB + 10 * MiB + 50 * MiB;
        return (total - nonHeap) / MiB;
    }

    @ParameterizedTest
    @MethodSource("shells")
    void cgroupV2TakesTheSmallestLimitAlongTheProcessPath(String shell) {
        Launcher.Result r = new Launcher(shell, "cgroup-v2").run("--dry-run", "app.jar").expectStatus(0);
        // memory.max is "max" at the root, 4 GiB at the pod and 1 GiB at the container: 1 GiB binds.
        assertTrue(r.out().contains("from cgroup v2 limit (") && r.out().contains("kubepods/pod1/ctr/memory.max)"), r.out());
        assertEquals(604, expectedHeapMiB(1024 * MiB));
        String f = r.folded();
        assertTrue(f.contains(" total 1024 MiB"), f);
        assertTrue(f.contains(" - head room 51 MiB"), f);
        assertTrue(f.contains(" - metaspace 68 MiB (10000 classes x 5800 B + 14 MB)"), f);
        assertTrue(f.contains(" - code cache 240 MiB"), f);
        assertTrue(f.contains(" - direct 10 MiB"), f);
        assertTrue(f.contains(" - stacks 50 MiB (50 platform threads x 1024 KiB"), f);
        assertTrue(f.contains(" = heap 604 MiB"), f);
        // The seed's flat 75 % beside it: 768 MiB of heap leaves 256 MiB for 419 MiB of non-heap.
        assertTrue(f.contains("seed's flat 75%: heap 768 MiB leaves 256 MiB for 419 MiB of non-heap (short by 163 MiB"), f);
        assertTrue(r.flags().containsAll(java.util.List.of("-Xmx604M", "-Xms604M", "-XX:MaxMetaspaceSize=69M",
                "-XX:ReservedCodeCacheSize=240M", "-XX:MaxDirectMemorySize=10M")), r.command());
        // cpu.max "150000 100000": 1.5 CPUs, rounded up to 2 of the machine's 8.
        assertTrue(r.flags().contains("-XX:ActiveProcessorCount=2"), r.command());
        assertTrue(r.out().contains("CPUs: 2 from cgroup v2 CPU quota 150000/100000 us"), r.out());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void cgroupV1ReadsMemoryLimitInBytesAndTheCfsQuota(String shell) {
        Launcher.Result r = new Launcher(shell, "cgroup-v1").run("--dry-run", "app.jar").expectStatus(0);
        assertTrue(r.out().contains("from cgroup v1 limit (") && r.out().contains("memory/memory.limit_in_bytes)"), r.out());
        long heap = expectedHeapMiB(512 * MiB);
        assertEquals(117, heap);
        assertTrue(r.folded().contains(" total 512 MiB"), r.out());
        assertTrue(r.folded().contains(" = heap 117 MiB"), r.out());
        assertTrue(r.flags().contains("-Xmx117M") && r.flags().contains("-Xms117M"), r.command());
        assertTrue(r.flags().contains("-XX:ActiveProcessorCount=1"), r.command());
        assertTrue(r.folded().contains("seed's flat 75%: heap 384 MiB leaves 128 MiB for 394 MiB of non-heap (short by 266 MiB"), r.out());
        // 10000 idle connections x ~6.5 KiB = 63 MiB: more than half of a 117 MiB heap.
        assertTrue(r.out().contains("note: WARNING: 10000 idle connections would take ~63 MiB, more than half of the 117 MiB heap"),
                r.out());
        Launcher.Result fewer = new Launcher(shell, "cgroup-v1").run("--dry-run", "--virtual-threads", "2000", "app.jar")
                .expectStatus(0);
        assertFalse(fewer.out().contains("idle connections would take"), fewer.out());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void withoutACgroupLimitTheMachinesMemoryCountsAndTheHeapGrowsOnDemand(String shell) {
        Launcher.Result r = new Launcher(shell, "none").run("--dry-run", "app.jar").expectStatus(0);
        assertTrue(r.out().contains("container memory from MemTotal of "), r.out());
        assertTrue(r.folded().contains(" total 2048 MiB"), r.out());
        assertEquals(1576, expectedHeapMiB(2048 * MiB));
        assertTrue(r.flags().contains("-Xmx1576M"), r.command());
        assertFalse(r.command().contains("-Xms"), "no -Xms on a machine shared with other processes: " + r.command());
        assertTrue(r.flags().contains("-XX:ActiveProcessorCount=2"), r.command());
        assertTrue(r.folded().contains("(fits, 40 MiB to spare)"), r.out());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void refusesATinyContainerNamingTheNumbers(String shell) {
        Launcher.Result r = new Launcher(shell, "tiny").run("--dry-run", "app.jar").expectStatus(1);
        assertTrue(r.err().contains("refusing to start: the container has 256 MiB but the non-heap memory needs "
                + "381 MiB (head room 12 + metaspace 68 + code cache 240 + direct 10 + thread stacks 50), leaving "
                + "-125 MiB for the heap; at least 32 MiB is needed"), r.err());
        assertFalse(r.out().contains("command: "), "nothing to start: " + r.out());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void theUsersSmallerTermsMakeATinyContainerFit(String shell) {
        Launcher.Result r = new Launcher(shell, "tiny").env("JAVA_TOOL_OPTIONS", "-Xss512k")
                .run("--dry-run", "--threads", "20", "-XX:ReservedCodeCacheSize=64m", "app.jar").expectStatus(0);
        String f = r.folded();
        assertTrue(f.contains(" - code cache 64 MiB (your -XX:ReservedCodeCacheSize=64m)"), f);
        assertTrue(f.contains(" - stacks 10 MiB (20 platform threads x 512 KiB, your stack size 512k)"), f);
        // 256 MiB - 12.8 (5 %) - 68.7 (metaspace) - 64 - 10 - 10 = 90.5 MiB, rounded down
        assertTrue(f.contains(" = heap 90 MiB"), f);
        assertTrue(r.flags().contains("-Xmx90M"), r.command());
        assertFalse(r.command().contains("-XX:ReservedCodeCacheSize=240M"), r.command());
        assertEquals(1, r.flags().stream().filter(w -> w.startsWith("-XX:ReservedCodeCacheSize=")).count(), r.command());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aSizeTheJvmWouldRejectIsNamed(String shell) {
        Launcher.Result r = new Launcher(shell, "cgroup-v2").run("--dry-run", "-Xss1.5m", "app.jar").expectStatus(2);
        assertTrue(r.err().contains("not a size the JVM accepts: '1.5m'"), r.err());
        Launcher.Result threads = new Launcher(shell, "cgroup-v2").run("--dry-run", "--threads", "many", "app.jar")
                .expectStatus(2);
        assertTrue(threads.err().contains("--threads must be a whole number, was 'many'"), threads.err());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void explainsWhereVirtualThreadStacksLive(String shell) {
        Launcher.Result r = new Launcher(shell, "cgroup-v2").run("--dry-run", "--virtual-threads", "20000", "app.jar")
                .expectStatus(0);
        assertTrue(r.out().contains("stack chunk objects"), r.out());
        assertTrue(r.out().contains("20000 parked (--virtual-threads; server-core's maxConnections default) x ~3 KiB "
                + "of stack chunk = 58 MiB; x ~6.5 KiB per idle connection in all = 126 MiB of the heap"), r.out());
    }
}
