package dev.weft.ops.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher inside real, kernel-enforced cgroup v1 limits (see {@link CgroupV1}): its dry run must read the memory
 * limit, CPU quota and cpuset where the kernel keeps them, and the JVM it starts must see the same figures
 * ({@code -XX:+PrintFlagsFinal} and the JVM's own view, printed by {@link JvmView}) without a forced
 * {@code -XX:ActiveProcessorCount}.
 */
class LauncherInCgroupTest {

    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void memoryLimitQuotaAndCpusetTogether() {
        try (CgroupV1 group = CgroupV1.create().memoryLimit(1024 * MiB).cpuQuota(100_000, 100_000).cpuset("0")) {
            for (String shell : Launcher.shells()) {
                Launcher.Result dry = launcher(shell, group).run("--dry-run", "app.jar").expectStatus(0);
                String f = dry.folded();
                assertTrue(f.contains("memory from cgroup v1 limit (/sys/fs/cgroup/memory/" + group.name()
                        + "/memory.limit_in_bytes)"), shell + ":\n" + f);
                assertTrue(f.contains(" total 1024 MiB") && f.contains(" = heap 604 MiB"), f);
                assertTrue(dry.flags().containsAll(List.of("-Xmx604M", "-Xms604M")), dry.command());
                assertTrue(f.contains("CPUs: 1 from cgroup v1 CPU quota 100000/100000 us (/sys/fs/cgroup/cpu/"
                        + group.name() + "/cpu.cfs_quota_us)"), f);
                assertFalse(dry.command().contains("ActiveProcessorCount"), dry.command());
            }

            Launcher.Result run = start(group);
            assertTrue(run.err().contains("weft-launch: profile g1 (G1), heap 604 MiB of 1024 MiB, 1 CPUs"), run.err());
            assertEquals(604 * MiB, flag(run, "MaxHeapSize"), "the calculated -Xmx reaches the JVM");
            assertEquals(1024 * MiB, seen(run, "totalMemorySize"), "the JVM sees the cgroup's memory limit");
            assertEquals(-1, flag(run, "ActiveProcessorCount"), "the launcher leaves the CPU count to the JVM");
            assertEquals(1, seen(run, "availableProcessors"), "the JVM counts the quota's one CPU itself");
            assertEquals(1, seen(run, "carriers"), "profile g1 leaves the JVM's one carrier per CPU");
        }
    }

    /** The case the old launcher got wrong: it forced the quota's count over the JVM's smaller, correct one. */
    @Test
    void aCpusetNarrowerThanTheQuotaWinsAndNoMemoryLimitLeavesTheHeapToTheJvm() throws IOException {
        try (CgroupV1 group = CgroupV1.create().cpuQuota(200_000, 100_000).cpuset("0")) {
            for (String shell : Launcher.shells()) {
                Launcher.Result dry = launcher(shell, group).run("--dry-run", "app.jar").expectStatus(0);
                assertTrue(dry.out().contains("CPUs: 1 from the cpuset 0 (/sys/fs/cgroup/cpuset/" + group.name()
                        + "/cpuset.effective_cpus), fewer than the 2 of the cgroup v1 CPU quota 200000/100000 us"),
                        shell + ":\n" + dry.out());
                assertFalse(dry.command().contains("ActiveProcessorCount"), dry.command());
                assertTrue(dry.out().contains("memory: no cgroup memory limit and no --memory: the heap is the JVM's "
                        + "default share"), dry.out());
                assertTrue(dry.flags().stream().noneMatch(w -> w.matches("-Xm[sx].*|-XX:(MaxMetaspaceSize|"
                        + "ReservedCodeCacheSize|MaxDirectMemorySize)=.*")),
                        "nothing sized without a budget: " + dry.command());
            }
            long machine = memTotal();
            long estimate = aboutMiB(launcher("/bin/sh", group).run("--dry-run", "app.jar").out()) * MiB;

            Launcher.Result run = start(group);
            assertTrue(run.err().contains("heap left to the JVM: no memory limit and no --memory, so its default "
                    + "share, 25% of the machine's " + machine / MiB + " MiB, 1 CPUs"), run.err());
            assertEquals(-1, flag(run, "ActiveProcessorCount"), "the launcher leaves the CPU count to the JVM");
            assertEquals(1, seen(run, "availableProcessors"), "the JVM honours the cpuset itself");
            assertEquals(1, seen(run, "carriers"), "one virtual-thread carrier for the cpuset's CPU");
            long heap = flag(run, "MaxHeapSize");
            assertEquals(machine / 4.0, heap, machine * 0.01, "the JVM's own 25% of the machine");
            assertEquals(heap, estimate, heap * 0.01, "the launcher's estimate of the JVM's default heap");
            assertEquals(machine, seen(run, "totalMemorySize"), machine * 0.01, "no limit: the machine's memory");
        }
    }

    @Test
    void aQuotaNarrowerThanTheCpusetWins() throws IOException {
        String all = CgroupV1.hostCpus();
        Assumptions.assumeTrue(all.contains("-") || all.contains(","), "needs 2 CPUs or more, this machine has " + all);
        try (CgroupV1 group = CgroupV1.create().cpuQuota(50_000, 100_000)) {
            Launcher.Result dry = launcher(Launcher.shells().getLast(), group).run("--dry-run", "app.jar").expectStatus(0);
            assertTrue(dry.out().contains("CPUs: 1 from cgroup v1 CPU quota 50000/100000 us (/sys/fs/cgroup/cpu/"
                    + group.name() + "/cpu.cfs_quota_us) = 50% of a CPU, rounded up"), dry.out());

            Launcher.Result run = start(group);
            assertEquals(-1, flag(run, "ActiveProcessorCount"), run.err());
            assertEquals(1, seen(run, "availableProcessors"), "the JVM rounds the half CPU up to one itself");
        }
    }

    private static Launcher launcher(String shell, CgroupV1 group) {
        return Launcher.onThisMachine(shell).within(group.command());
    }

    /** Starts {@link JvmView} through the launcher for real, printing the JVM's final flags too. */
    private Launcher.Result start(CgroupV1 group) {
        Path classes;
        try {
            classes = Path.of(JvmView.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return launcher("/bin/sh", group).run("--no-jfr", "--log-dir", dir.resolve("logs").toString(),
                "-XX:+PrintFlagsFinal", "-cp", classes.toString(), JvmView.class.getName()).expectStatus(0);
    }

    /** A numeric flag from {@code -XX:+PrintFlagsFinal}: "   size_t MaxHeapSize = 633339904 {product} {...}". */
    private static long flag(Launcher.Result run, String name) {
        Matcher m = Pattern.compile("^\\s*\\S+\\s+" + name + "\\s+=\\s+(-?\\d+)\\s", Pattern.MULTILINE).matcher(run.out());
        assertTrue(m.find(), "no " + name + " in the JVM's flags:\n" + run.out() + run.err());
        return Long.parseLong(m.group(1));
    }

    /** A figure {@link JvmView} printed. */
    private static long seen(Launcher.Result run, String name) {
        Matcher m = Pattern.compile("^" + name + "=(\\d+)$", Pattern.MULTILINE).matcher(run.out());
        assertTrue(m.find(), "no " + name + " from JvmView:\n" + run.out() + run.err());
        return Long.parseLong(m.group(1));
    }

    /** The "about N MiB" of the dry run's line on the JVM's default heap. */
    private static long aboutMiB(String out) {
        Matcher m = Pattern.compile("about (\\d+) MiB").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }

    static long memTotal() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new AssertionError("no MemTotal in /proc/meminfo");
    }
}
