package dev.weft.ops.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ops.gc.AllocationWorkload;
import dev.weft.ops.gc.GcLog;
import dev.weft.ops.gc.GcLogParser;
import dev.weft.ops.gc.Collector;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher for real: the JVM must accept every flag it adds, write the rotated GC log and the JFR recording where
 * it says, and build then use an AOT cache. The service is {@link AllocationWorkload} packed into a jar (an AOT cache
 * needs a jar class path; the JDK refuses directories).
 */
class LauncherRunTest {

    @TempDir
    Path dir;

    private Path jar;

    @BeforeEach
    void packWorkload() throws Exception {
        jar = dir.resolve("workload.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, AllocationWorkload.class.getName());
        String entry = AllocationWorkload.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             var in = AllocationWorkload.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
    }

    @Test
    void theJvmAcceptsTheFlagsAndWritesTheGcLogAndTheRecording() throws Exception {
        Path logs = dir.resolve("logs");
        Launcher.Result r = new Launcher("/bin/sh", "cgroup-v1")
                .run("--profile", "g1", "--log-dir", logs.toString(), jar.toString(), "50000000").expectStatus(0);
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\d+ \\d+")), "the application's own output: " + r.out() + r.err());
        assertTrue(r.err().contains("weft-launch: profile g1 (G1), heap 117 MiB of 512 MiB, 1 CPUs, one virtual-thread carrier per CPU;"), r.err());

        GcLog log = GcLogParser.parse(List.of(logs.resolve("gc.log")));
        assertEquals(Collector.G1, log.collector());
        // The calculated -Xmx117M reaches the JVM, which aligns it up to its heap alignment (2 MiB here).
        var capacity = java.util.regex.Pattern.compile("Heap Max Capacity: (\\d+)M").matcher(Files.readString(logs.resolve("gc.log")));
        assertTrue(capacity.find(), "no heap capacity in the GC log");
        int max = Integer.parseInt(capacity.group(1));
        assertTrue(max >= 117 && max <= 119, "heap " + max + " MiB, calculated 117");
        assertTrue(Files.size(logs.resolve("weft.jfr")) > 0, "JFR dumps the continuous recording on exit");
    }

    @Test
    void aotTrainsOnceThenStartsFromTheCache() throws Exception {
        Path logs = dir.resolve("logs");
        Path cache = dir.resolve("workload-small.aot");
        Launcher launcher = new Launcher("/bin/sh", "cgroup-v1");

        Launcher.Result training = launcher.run("--profile", "small", "--aot", "--log-dir", logs.toString(),
                jar.toString(), "1000000").expectStatus(0);
        assertTrue(training.err().contains("training run"), training.err());
        assertTrue(Files.size(cache) > 0, "the training run writes the cache on exit: " + training.err());
        assertTrue(training.err().contains("no JFR recording this time"), training.err());
        // The training JVM and the one it starts to assemble the cache each keep their own GC log.
        try (var files = Files.list(logs)) {
            assertEquals(2, files.filter(f -> f.getFileName().toString().matches("gc-\\d+\\.log")).count());
        }

        // With JFR on, as the training run had it: a cache whose module options differ is refused after mapping.
        Launcher.Result warm = launcher.run("--profile", "small", "--aot", "--log-dir", logs.toString(),
                "-Xlog:aot=info:file=" + dir.resolve("aot.log"), jar.toString(), "1000000").expectStatus(0);
        assertTrue(warm.err().contains("starting from the AOT cache " + cache), warm.err());
        String aotLog = Files.readString(dir.resolve("aot.log"));
        assertTrue(aotLog.contains("Opened AOT cache"), "the JVM mapped the cache:\n" + aotLog);
        assertTrue(aotLog.contains("full module graph: enabled") && !aotLog.contains("Mismatched"),
                "the JVM used the cache:\n" + aotLog);
    }
}
