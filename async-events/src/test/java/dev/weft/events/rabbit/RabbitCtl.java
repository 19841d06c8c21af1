package dev.weft.events.rabbit;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.weft.testkit.Services;

/**
 * Closes this test's own broker connections with {@code rabbitmqctl close_connection}, found by their
 * client-provided name: never all connections, since other tests share the broker.
 */
final class RabbitCtl {
    private static final String SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private RabbitCtl() {}

    /** Closes every connection whose client-provided name starts with {@code namePrefix}; returns how many. */
    static int closeConnections(String namePrefix) throws Exception {
        List<String> pids = new ArrayList<>();
        for (String line : run("list_connections", "pid", "client_properties").split("\n")) {
            if (line.contains("\"" + namePrefix)) {
                pids.add(line.substring(0, line.indexOf('\t')).strip());
            }
        }
        for (String pid : pids) {
            run("close_connection", pid, "async-events test: simulated broker outage");
        }
        return pids.size();
    }

    private static String run(String... args) throws Exception {
        Path rabbitmqctl = Services.program("rabbitmqctl", "apt-get install rabbitmq-server");
        List<String> command = new ArrayList<>(List.of(rabbitmqctl.toString(), "-q"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // Debian's rabbitmqctl runs its scripts as the rabbitmq user, which must find readlink, dirname and expr on
        // the PATH: the system's directories first, since the caller's may be private to it (.ci/fresh-clone's is).
        pb.environment().put("PATH", String.join(File.pathSeparator, rabbitmqctl.getParent().toString(),
                SYSTEM_PATH, System.getenv().getOrDefault("PATH", "")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
