package dev.weft.ops.launch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ops/bin/weft-launch} under a given POSIX shell, with the calculator's cgroup and /proc paths pointed at
 * a fixture tree from {@code src/test/resources/fixtures} or left at this machine's, and captures what it prints.
 */
public final class Launcher {

    /** The shells the launcher must work under: the system's sh, and dash (Debian's sh, the strictest common one). */
    public static List<String> shells() {
        List<String> shells = new ArrayList<>(List.of("/bin/sh"));
        if (Files.isExecutable(Path.of("/usr/bin/dash"))) {
            shells.add("/usr/bin/dash");
        }
        return shells;
    }

    static final Path SCRIPT = Path.of("bin", "weft-launch").toAbsolutePath();

    private final String shell;
    private final Path fixture;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> wrapper = new ArrayList<>();

    Launcher(String shell, String fixture) {
        this(shell, fixture(fixture));
    }

    /** A launcher reading its cgroup tree from {@code root/sys/fs/cgroup} and /proc from {@code root/proc}. */
    public Launcher(String shell, Path root) {
        this.shell = shell;
        this.fixture = root;
    }

    /** A launcher reading this machine's /sys/fs/cgroup and /proc. */
    static Launcher onThisMachine(String shell) {
        return new Launcher(shell, (Path) null);
    }

    /** Runs the launcher as the last arguments of {@code command}, which must exec them (e.g. into a cgroup). */
    Launcher within(List<String> command) {
        wrapper.addAll(command);
        return this;
    }

    static Path fixture(String name) {
        try {
            return Path.of(Launcher.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Launcher env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public record Result(int status, String out, String err) {

        /** The JVM command line the dry run printed. */
        public String command() {
            return out.lines().filter(l -> l.startsWith("command: ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no command line in:\n" + out + err));
        }

        /** The command's words after the java binary. */
        public List<String> flags() {
            List<String> words = Arrays.asList(command().substring("command: ".length()).split(" "));
            return words.subList(1, words.size());
        }

        /** The lines of the calculator's arithmetic, with runs of spaces folded so tests can match them. */
        public String folded() {
            return (out + err).replaceAll(" +", " ");
        }

        public Result expectStatus(int expected) {
            assertTrue(status == expected, "exit status " + status + ", expected " + expected + "\n" + out + err);
            return this;
        }
    }

    public Result run(String... args) {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(shell, SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> e = pb.environment();
        e.remove("JAVA_TOOL_OPTIONS");
        e.remove("JDK_JAVA_OPTIONS");
        e.put("JAVA_HOME", System.getProperty("java.home"));
        e.remove("WEFT_CGROUP_ROOT");
        e.remove("WEFT_PROC");
        if (fixture != null) {
            e.put("WEFT_CGROUP_ROOT", fixture.resolve("sys/fs/cgroup").toString());
            e.put("WEFT_PROC", fixture.resolve("proc").toString());
        }
        e.putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("weft-launch did not finish: " + command);
            }
            return new Result(p.exitValue(), out, err.join());
        } catch (IOException e1) {
            throw new UncheckedIOException(e1);
        } catch (InterruptedException e2) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e2);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
