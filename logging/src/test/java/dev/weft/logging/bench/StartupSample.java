package dev.weft.logging.bench;

import org.slf4j.LoggerFactory;

/**
 * What a service does with logging at start-up, at the least: find the backend, configure it, write one line. Then
 * prints the CPU time the process has used, for {@link StartupBenchmark}.
 */
public final class StartupSample {
    private StartupSample() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--no-logging")) {
            System.err.println("started");
        } else {
            LoggerFactory.getLogger(StartupSample.class).info("started");
        }
        System.out.println(ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos());
    }
}
