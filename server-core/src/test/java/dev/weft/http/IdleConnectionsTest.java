package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.weft.testkit.Eventually;
import dev.weft.testkit.Services;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * 10,000 concurrent idle keep-alive connections, held and then used again. The clients run in a child JVM
 * ({@link IdleClients}): one process holding both ends would need 20,000 descriptors, the limit on this kind of
 * machine.
 */
class IdleConnectionsTest {
    private static final int CONNECTIONS = 10_000;

    /** Each JVM raises its descriptor limit to the hard limit; each side needs one per connection and some. */
    private static void requireDescriptors() throws java.io.IOException {
        java.nio.file.Path limits = Path.of("/proc/self/limits");
        if (!java.nio.file.Files.isReadable(limits)) {
            return;
        }
        for (String line : java.nio.file.Files.readAllLines(limits)) {
            if (line.startsWith("Max open files")) {
                String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
                if (!hard.equals("unlimited") && Long.parseLong(hard) < CONNECTIONS + 500) {
                    Services.unmet("IdleConnectionsTest needs a hard limit of open files of at least "
                            + (CONNECTIONS + 500) + ", found " + hard, "raise it (ulimit -Hn, as root)");
                }
            }
        }
    }

    @Test
    void holdsTenThousandIdleKeepAliveConnections() throws Exception {
        requireDescriptors();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestServer t = TestServer.start((w, r) -> w.write("ok"),
                Map.of("maxConnections", CONNECTIONS + 100, "backlog", 4096, "idleTimeout", Duration.ofMinutes(2)),
                registry)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-Xss256k", "-cp", System.getProperty("java.class.path"),
                    IdleClients.class.getName(), "127.0.0.1", String.valueOf(t.port()), String.valueOf(CONNECTIONS))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.US_ASCII)); OutputStream in = child.getOutputStream()) {
                assertEquals("READY " + CONNECTIONS, out.readLine());
                double active = registry.get("http.server.connections.active").gauge().value();
                assertEquals(CONNECTIONS, active, 0.0, "every connection is open and idle on the server");
                in.write('\n');
                in.flush();
                assertEquals("OK " + CONNECTIONS, out.readLine(), "every idle connection still serves");
            } finally {
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                child.destroyForcibly();
            }
            assertEquals(0, child.exitValue());
            // Each timer is recorded once its response has left: the last ones may come after the client is done.
            Eventually.await(Duration.ofSeconds(10), 2 * CONNECTIONS + " requests counted",
                    () -> registry.get("http.server.requests").timer().count() == 2 * CONNECTIONS);
        }
    }
}
