package dev.weft.ops.launch;

import dev.weft.testkit.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real cgroup v1 group, {@code /sys/fs/cgroup/{memory,cpu,cpuset}/weft-test-<random>}, made for one test and
 * removed after it. Commands started through {@link #command()} join it before they exec, so the kernel enforces its
 * memory limit, CPU quota and cpuset on them, and the launcher and the JVM read them where they would in production.
 *
 * <p>Making one needs root and cgroup v1 hierarchies. Without them the test is skipped with a message, except under
 * {@code CI=true}, where it fails: the project's CI machine is root with cgroup v1, and these tests are the only proof
 * that the launcher and the JVM agree inside kernel-enforced limits, so a CI that lost them must say so rather than
 * pass without them.
 */
final class CgroupV1 implements AutoCloseable {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final List<String> CONTROLLERS = List.of("memory", "cpu", "cpuset");

    private final String name = "weft-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Path> made = new ArrayList<>();

    private CgroupV1() {
    }

    /** A new group in each of the memory, cpu and cpuset hierarchies, with no limits yet (the cpuset: all CPUs). */
    static CgroupV1 create() {
        String missing = whyUnavailable();
        if (missing != null) {
            Services.unmet(missing + ": the launcher's tests inside real cgroup limits cannot run",
                    "run them as root on a machine with cgroup v1");
        }
        CgroupV1 group = new CgroupV1();
        try {
            for (String controller : CONTROLLERS) {
                group.made.add(Files.createDirectory(ROOT.resolve(controller).resolve(group.name)));
            }
            // A new cpuset group has no CPUs and no memory nodes, and takes no process until both are set.
            group.cpuset(hostCpus());
            group.write("cpuset", "cpuset.mems", Files.readString(ROOT.resolve("cpuset/cpuset.mems")).strip());
            return group;
        } catch (IOException e) {
            group.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            group.close();
            throw e;
        }
    }

    /** The reason real cgroup v1 groups cannot be made here, or null when they can. */
    private static String whyUnavailable() {
        List<String> mounts;
        try {
            mounts = Files.readAllLines(Path.of("/proc/self/mounts"));
        } catch (IOException e) {
            return "cannot read /proc/self/mounts (" + e.getMessage() + ")";
        }
        for (String controller : CONTROLLERS) {
            String point = ROOT.resolve(controller).toString();
            boolean v1 = mounts.stream().map(l -> l.split(" ")).anyMatch(f -> f.length > 2 && f[1].equals(point)
                    && f[2].equals("cgroup"));
            if (!v1) {
                return "no cgroup v1 " + controller + " hierarchy at " + point + " (this machine uses cgroup v2 or none)";
            }
            if (!Files.isWritable(ROOT.resolve(controller))) {
                return "cannot create cgroups under " + point + " (not root, or mounted read-only)";
            }
        }
        return null;
    }

    /** The CPUs of the root cpuset, the whole machine's: "0-1" on a 2-CPU machine. */
    static String hostCpus() throws IOException {
        return Files.readString(ROOT.resolve("cpuset/cpuset.cpus")).strip();
    }

    String name() {
        return name;
    }

    CgroupV1 memoryLimit(long bytes) {
        return write("memory", "memory.limit_in_bytes", Long.toString(bytes));
    }

    CgroupV1 cpuQuota(long quotaMicros, long periodMicros) {
        write("cpu", "cpu.cfs_period_us", Long.toString(periodMicros));
        return write("cpu", "cpu.cfs_quota_us", Long.toString(quotaMicros));
    }

    CgroupV1 cpuset(String cpus) {
        return write("cpuset", "cpuset.cpus", cpus);
    }

    /** {@code sh -c '...' sh}: joins the group, then execs the arguments that follow. */
    List<String> command() {
        StringBuilder join = new StringBuilder();
        for (String controller : CONTROLLERS) {
            join.append("echo $$ > ").append(ROOT.resolve(controller).resolve(name).resolve("cgroup.procs"))
                    .append(" || exit 97; ");
        }
        return List.of("/bin/sh", "-c", join + "exec \"$@\"", "sh");
    }

    private CgroupV1 write(String controller, String file, String value) {
        try {
            Files.writeString(ROOT.resolve(controller).resolve(name).resolve(file), value);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + value + " to " + controller + "/" + name + "/" + file, e);
        }
    }

    /**
     * Removes the group. The processes the test started have exited by now, but the kernel may take a moment to
     * release a group after its last task, so removal is retried against a deadline.
     */
    @Override
    public void close() {
        List<String> left = new ArrayList<>();
        for (Path dir : made.reversed()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    Files.deleteIfExists(dir);
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        left.add(dir + " (" + e.getMessage() + ")");
                        break;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            }
        }
        made.clear();
        if (!left.isEmpty()) {
            throw new IllegalStateException("could not remove the test cgroups " + left);
        }
    }
}
