package dev.weft.events.rabbit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Closes this test's own broker connections with {@code rabbitmqctl close_connection}, found by their
 * client-provided name: never all connections, since other tests share the broker.
 */
final class RabbitCtl {
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
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("rabbitmqctl is not available: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
