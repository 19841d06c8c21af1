package dev.weft.ops.launch;

import java.lang.management.ManagementFactory;

/**
 * What a JVM sees of its container, printed as {@code name=value} lines: the launcher tests start it through
 * {@code weft-launch} inside real cgroup limits and compare with what the launcher calculated.
 */
public final class JvmView {

    private JvmView() {
    }

    public static void main(String[] args) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.println("availableProcessors=" + Runtime.getRuntime().availableProcessors());
        // Container-aware: the cgroup memory limit when there is one, else the machine's memory.
        System.out.println("totalMemorySize=" + os.getTotalMemorySize());
        // The carriers of the default virtual-thread scheduler, as the scheduler itself reports them.
        System.out.println("carriers=" + ManagementFactory.getPlatformMXBean(
                jdk.management.VirtualThreadSchedulerMXBean.class).getParallelism());
    }
}
