package dev.weft.ops.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
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
        assertTrue(r.flags().containsAll(List.of("-Xmx604M", "-Xms604M", "-XX:MaxMetaspaceSize=69M",
                "-XX:ReservedCodeCacheSize=240M", "-XX:MaxDirectMemorySize=10M")), r.command());
        // cpu.max "150000 100000": 1.5 CPUs, rounded up to 2 of the cpuset's 8; reported, not forced on the JVM.
        assertTrue(r.out().contains("CPUs: 2 from cgroup v2 CPU quota 150000/100000 us"), r.out());
        assertTrue(r.out().contains("(the JVM counts the same itself: no -XX:ActiveProcessorCount)"), r.out());
        assertFalse(r.command().contains("ActiveProcessorCount"), r.command());
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
        assertTrue(r.out().contains("CPUs: 1 from cgroup v1 CPU quota 100000/100000 us ("), r.out());
        assertTrue(r.out().contains("cpu,cpuacct/cpu.cfs_quota_us) = 100% of a CPU, rounded up"), r.out());
        assertFalse(r.command().contains("ActiveProcessorCount"), r.command());
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
    void withoutAMemoryLimitTheHeapIsTheJvmsDefaultShare(String shell) {
        Launcher.Result r = new Launcher(shell, "none").run("--dry-run", "app.jar").expectStatus(0);
        // The machine (2 GiB here) is shared: nothing is sized from it, and the launcher says so.
        assertTrue(r.out().contains("memory: no cgroup memory limit and no --memory: the heap is the JVM's default "
                + "share (MaxRAMPercentage, 25% of the machine's 2048 MiB: about 512 MiB), grown on demand; "
                + "--memory SIZE sizes the heap and the rest for a budget instead"), r.out());
        assertFalse(r.out().contains("memory calculator"), r.out());
        assertTrue(r.flags().stream().noneMatch(f -> f.matches("-Xm[sx].*|-XX:(MaxMetaspaceSize|"
                + "ReservedCodeCacheSize|MaxDirectMemorySize|MaxRAMPercentage)=.*")), "no sizing flags: " + r.command());
        assertTrue(r.flags().contains("-XX:+UseG1GC"), r.command());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void cgroupV1sUnlimitedIsNoLimit(String shell, @TempDir Path dir) throws IOException {
        // What cgroup v1 reports for "no limit", at the process's group and at the root.
        Path cgroup = Files.createDirectories(dir.resolve("sys/fs/cgroup/memory/svc"));
        Files.writeString(cgroup.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
        Files.writeString(cgroup.getParent().resolve("memory.limit_in_bytes"), "9223372036854771712\n");
        writeProc(dir, "4:memory:/svc\n", 25_165_824);
        Launcher.Result r = new Launcher(shell, dir).run("--dry-run", "app.jar").expectStatus(0);
        assertTrue(r.out().contains("memory: no cgroup memory limit and no --memory: the heap is the JVM's default "
                + "share (MaxRAMPercentage, 25% of the machine's 24576 MiB: about 6144 MiB)"), r.out());
        assertEquals(0, r.flags().stream().filter(f -> f.startsWith("-Xmx")).count(), r.command());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void memoryGivesABudgetWhereThereIsNoLimit(String shell) {
        Launcher.Result r = new Launcher(shell, "none").run("--dry-run", "--memory", "1g", "app.jar").expectStatus(0);
        assertTrue(r.out().contains("memory calculator (Paketo's model), memory from --memory 1g:"), r.out());
        assertTrue(r.folded().contains(" = heap 604 MiB"), r.out());
        assertTrue(r.flags().containsAll(List.of("-Xmx604M", "-XX:MaxMetaspaceSize=69M")), r.command());
        assertFalse(r.command().contains("-Xms"), "no cgroup limit: the heap grows on demand: " + r.command());

        Launcher.Result bad = new Launcher(shell, "none").run("--dry-run", "--memory", "lots", "app.jar").expectStatus(2);
        assertTrue(bad.err().contains("--memory must be a size such as 2g, 1536m or 1073741824, was 'lots'"), bad.err());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void theSmallerOfMemoryAndTheCgroupLimitBinds(String shell) {
        // The cgroup-v2 fixture's container has 1 GiB.
        Launcher.Result smaller = new Launcher(shell, "cgroup-v2").run("--dry-run", "--memory=512m", "app.jar")
                .expectStatus(0);
        assertTrue(smaller.out().contains("memory from --memory 512m:"), smaller.out());
        assertTrue(smaller.flags().containsAll(List.of("-Xmx117M", "-Xms117M")), smaller.command());

        Launcher.Result larger = new Launcher(shell, "cgroup-v2").run("--dry-run", "--memory", "2g", "app.jar")
                .expectStatus(0);
        assertTrue(larger.out().contains("memory from cgroup v2 limit (") && larger.out().contains(
                "kubepods/pod1/ctr/memory.max), which is less than --memory 2g:"), larger.out());
        assertTrue(larger.flags().contains("-Xmx604M"), larger.command());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void theCpusetCapsTheQuota(String shell, @TempDir Path dir) throws IOException {
        Path cgroup = Files.createDirectories(dir.resolve("sys/fs/cgroup/svc"));
        Files.writeString(cgroup.getParent().resolve("cgroup.controllers"), "cpu cpuset memory\n");
        Files.writeString(cgroup.resolve("memory.max"), "1073741824\n");
        Files.writeString(cgroup.resolve("cpu.max"), "400000 100000\n");
        Files.writeString(cgroup.resolve("cpuset.cpus.effective"), "0-1,4-5,7\n");
        writeProc(dir, "0::/svc\n", 16_777_216);
        Launcher.Result r = new Launcher(shell, dir).run("--dry-run", "app.jar").expectStatus(0);
        assertTrue(r.out().contains("CPUs: 4 from cgroup v2 CPU quota 400000/100000 us"), r.out());

        Files.writeString(cgroup.resolve("cpuset.cpus.effective"), "2,6\n");
        Launcher.Result narrow = new Launcher(shell, dir).run("--dry-run", "app.jar").expectStatus(0);
        assertTrue(narrow.out().contains("CPUs: 2 from the cpuset 2,6 (") && narrow.out().contains(
                "svc/cpuset.cpus.effective), fewer than the 4 of the cgroup v2 CPU quota 400000/100000 us"), narrow.out());

        // A quota on a parent binds too (a systemd slice, a pod): the smallest along the path counts.
        Files.writeString(cgroup.resolve("cpu.max"), "max 100000\n");
        Files.writeString(cgroup.getParent().resolve("cpu.max"), "50000 100000\n");
        Launcher.Result parent = new Launcher(shell, dir).run("--dry-run", "app.jar").expectStatus(0);
        assertTrue(parent.out().contains("CPUs: 1 from cgroup v2 CPU quota 50000/100000 us"), parent.out());
    }

    /** On this machine, whatever it is: the heap never takes the machine's memory. */
    @ParameterizedTest
    @MethodSource("shells")
    void onThisMachineTheHeapNeverTakesTheMachine(String shell) throws IOException {
        Launcher.Result r = Launcher.onThisMachine(shell).run("--dry-run", "app.jar").expectStatus(0);
        long machineMiB = LauncherInCgroupTest.memTotal() / MiB;
        if (r.out().contains("memory: no cgroup memory limit")) {
            assertTrue(r.flags().stream().noneMatch(f -> f.startsWith("-Xmx") || f.startsWith("-Xms")), r.command());
        } else {
            // This test runs inside a memory-limited cgroup: then the heap comes from that limit.
            long xmx = r.flags().stream().filter(f -> f.startsWith("-Xmx")).mapToLong(f -> Long.parseLong(
                    f.substring(4, f.length() - 1))).findFirst().orElseThrow();
            assertTrue(xmx < machineMiB / 2, xmx + " MiB of heap on a " + machineMiB + " MiB machine: " + r.out());
        }
    }

    private static void writeProc(Path root, String selfCgroup, long memTotalKb) throws IOException {
        Path self = Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(self.resolve("cgroup"), selfCgroup);
        Files.writeString(root.resolve("proc/meminfo"), "MemTotal:       " + memTotalKb + " kB\n");
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
