package dev.weft.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.weft.testkit.Eventually;

/** {@link Main} as a real process: it starts on {@code PORT}, serves, and stops gracefully on SIGTERM. */
class MainProcessTest {
    @TempDir
    Path dir;

    /**
     * Starts {@link Main} with {@code env}, its output going to a file: reading a pipe races with the JDK draining
     * it when the process exits, which loses the last lines, the very ones the shutdown writes.
     */
    private Process launch(Path output, String... env) throws Exception {
        return launch(output, List.of(), env);
    }

    private Process launch(Path output, List<String> args, String... env) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("WEFT_") || k.equals("PORT"));
        for (int i = 0; i < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        return pb.start();
    }

    /** The first line of {@code output} matching {@code pattern}, waiting up to 60 s for it to be written. */
    private static Matcher await(Path output, Pattern pattern) {
        List<String> lines = Eventually.until(Duration.ofSeconds(60), "a line matching " + pattern,
                () -> Files.readAllLines(output, StandardCharsets.UTF_8),
                all -> all.stream().anyMatch(line -> pattern.matcher(line).find()), all -> String.join("\n", all));
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        throw new AssertionError("unreachable: a line matched");
    }

    @Test
    void startsOnPortServesAndStopsGracefullyOnSigterm() throws Exception {
        Path output = dir.resolve("shop.log");
        Process p = launch(output, "PORT", "0");
        try {
            Matcher listening = await(output, Pattern.compile("shop listening on (.*):(\\d+)$"));
            // The README's promise: a laptop's shop is served on the loopback address, not to the network.
            assertTrue(listening.group(1).endsWith("127.0.0.1"), listening.group());
            int port = Integer.parseInt(listening.group(2));
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/plaintext")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("Hello, World!", r.body());

            p.destroy(); // SIGTERM
            await(output, Pattern.compile("shop stopped: shutdown in \\d+ ms: .* 0 force-closed"));
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process exited");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void helpPrintsTheUsageAndExitsWith0() throws Exception {
        for (String help : List.of("--help", "-h")) {
            Path output = dir.resolve("help" + help + ".log");
            Process p = launch(output, List.of(help));
            try {
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process exited");
                assertEquals(0, p.exitValue(), Files.readString(output));
                String text = Files.readString(output);
                assertTrue(text.startsWith("usage: shop [--config FILE]\n"), text);
                assertTrue(text.contains("WEFT_<PATH>"), text);
                assertFalse(text.contains("listening"), "--help starts nothing: " + text);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void aConfigurationProblemExitsWithStatus2AndSaysWhy() throws Exception {
        Path output = dir.resolve("shop.log");
        Process p = launch(output, "WEFT_SERVER_PORT", "eighty", "WEFT_SERVER_IDLE_TIMEOUT", "-1s");
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process exited");
            assertEquals(2, p.exitValue());
            await(output, Pattern.compile("shop: invalid configuration \\(2 problems\\):"));
            List<String> rest = List.of(await(output, Pattern.compile("server.port: .*")).group(),
                    await(output, Pattern.compile("server.idleTimeout: .*")).group());
            assertEquals(List.of("server.port: must be an integer, was \"eighty\" (from WEFT_SERVER_PORT)",
                    "server.idleTimeout: must be positive, was -1s (from WEFT_SERVER_IDLE_TIMEOUT)"), rest);
        } finally {
            p.destroyForcibly();
        }
    }
}
