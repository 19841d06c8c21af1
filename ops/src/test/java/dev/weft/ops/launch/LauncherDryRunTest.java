package dev.weft.ops.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The launcher's flags for each profile, and its promise never to override a flag the user passed. */
class LauncherDryRunTest {

    @TempDir
    Path dir;

    static Iterable<String> shells() {
        return Launcher.shells();
    }

    private static Launcher.Result dryRun(String shell, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--dry-run";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Launcher(shell, "cgroup-v2").run(all).expectStatus(0);
    }

    private static long count(List<String> flags, String prefix) {
        return flags.stream().filter(f -> f.startsWith(prefix)).count();
    }

    @ParameterizedTest
    @MethodSource("shells")
    void everyProfileAlwaysAddsTheSafetyFlags(String shell) {
        for (String profile : List.of("g1", "latency", "throughput", "small")) {
            List<String> flags = dryRun(shell, "--profile", profile, "--log-dir", "/var/log/shop", "shop.jar").flags();
            assertEquals(1, count(flags, "-XX:+Use"), profile + ": exactly one explicit collector: " + flags);
            assertTrue(flags.contains("-Xlog:gc*:file=/var/log/shop/gc.log:time,uptime,level,tags:filecount=5,filesize=20m"),
                    profile + ": " + flags);
            assertTrue(flags.contains("-XX:+HeapDumpOnOutOfMemoryError"), profile + ": " + flags);
            assertTrue(flags.contains("-XX:HeapDumpPath=/var/log/shop"), profile + ": " + flags);
            assertTrue(flags.contains("-XX:+ExitOnOutOfMemoryError"), profile + ": " + flags);
            assertEquals(0, count(flags, "-XX:ActiveProcessorCount"), profile + ": the JVM counts CPUs itself: " + flags);
            assertEquals(1, count(flags, "-XX:StartFlightRecording=name=weft,"), profile + ": " + flags);
            assertTrue(flags.contains("-Xmx604M"), profile + ": " + flags);
            assertEquals(profile.equals("latency") ? 1 : 0, count(flags, "-Djdk.virtualThreadScheduler.parallelism=3"),
                    profile + ": one carrier more than the CPUs in profile latency only: " + flags);
        }
    }

    @ParameterizedTest
    @MethodSource("shells")
    void profileLatencyGivesVirtualThreadsOneCarrierMoreThanTheCpus(String shell) {
        // The cgroup-v2 fixture's quota is 1.5 CPUs, counted as 2; the cgroup-v1 fixture's is 1 CPU.
        Launcher.Result two = dryRun(shell, "--profile", "latency", "shop.jar");
        assertEquals(1, count(two.flags(), "-Djdk.virtualThreadScheduler.parallelism="), two.command());
        assertTrue(two.flags().contains("-Djdk.virtualThreadScheduler.parallelism=3"), two.command());
        assertTrue(two.out().contains("virtual-thread carriers: 3, one more than the CPUs: the JDK's socket pollers"),
                two.out());
        Launcher.Result one = new Launcher(shell, "cgroup-v1").run("--dry-run", "--profile", "latency", "shop.jar")
                .expectStatus(0);
        assertTrue(one.flags().contains("-Djdk.virtualThreadScheduler.parallelism=2"), one.command());

        // A CPU count the user forces is the one the JVM sizes from: the carriers follow it.
        Launcher.Result forced = dryRun(shell, "--profile", "latency", "-XX:ActiveProcessorCount=4", "shop.jar");
        assertTrue(forced.flags().contains("-Djdk.virtualThreadScheduler.parallelism=5"), forced.command());

        Launcher.Result own = dryRun(shell, "--profile", "latency", "-Djdk.virtualThreadScheduler.parallelism=8",
                "shop.jar");
        assertEquals(1, count(own.flags(), "-Djdk.virtualThreadScheduler.parallelism="), own.command());
        assertTrue(own.flags().contains("-Djdk.virtualThreadScheduler.parallelism=8"), own.command());
        assertTrue(own.out().contains("note: keeping your -Djdk.virtualThreadScheduler.parallelism=8 (profile latency "
                + "would set -Djdk.virtualThreadScheduler.parallelism=3)"), own.out());
        assertTrue(own.out().contains("virtual-thread carriers: 8, yours"), own.out());

        Launcher.Result fromEnvironment = new Launcher(shell, "cgroup-v2")
                .env("JDK_JAVA_OPTIONS", "-Djdk.virtualThreadScheduler.parallelism=2")
                .run("--dry-run", "--profile", "latency", "shop.jar").expectStatus(0);
        assertEquals(0, count(fromEnvironment.flags(), "-Djdk.virtualThreadScheduler.parallelism="),
                "the JVM reads JDK_JAVA_OPTIONS itself: " + fromEnvironment.command());

        // The other profiles leave the JVM's one carrier per CPU: the extra one costs requests per second.
        for (String profile : List.of("g1", "throughput", "small", "none")) {
            Launcher.Result other = dryRun(shell, "--profile", profile, "shop.jar");
            assertEquals(0, count(other.flags(), "-Djdk.virtualThreadScheduler"), other.command());
            assertTrue(other.out().contains("virtual-thread carriers: the JVM's default, one per CPU (profile latency "
                    + "adds one"), other.out());
        }
    }

    @ParameterizedTest
    @MethodSource("shells")
    void twoOrThreeCpusGetOneReadPoller(String shell) {
        // The cgroup-v2 fixture counts 2 CPUs, the cgroup-v1 fixture 1.
        for (String profile : List.of("g1", "latency", "throughput", "small")) {
            Launcher.Result two = dryRun(shell, "--profile", profile, "shop.jar");
            assertEquals(1, count(two.flags(), "-Djdk.readPollers="), two.command());
            assertTrue(two.flags().contains("-Djdk.readPollers=1"), two.command());
        }
        Launcher.Result one = new Launcher(shell, "cgroup-v1").run("--dry-run", "shop.jar").expectStatus(0);
        assertEquals(0, count(one.flags(), "-Djdk.readPollers="), "one CPU: the JDK makes one itself: " + one.command());
        Launcher.Result three = dryRun(shell, "-XX:ActiveProcessorCount=3", "shop.jar");
        assertTrue(three.flags().contains("-Djdk.readPollers=1"), three.command());
        Launcher.Result four = dryRun(shell, "-XX:ActiveProcessorCount=4", "shop.jar");
        assertEquals(0, count(four.flags(), "-Djdk.readPollers="), "not measured on 4 CPUs: " + four.command());
        Launcher.Result none = dryRun(shell, "--profile", "none", "shop.jar");
        assertEquals(0, count(none.flags(), "-Djdk.readPollers="), none.command());

        Launcher.Result own = dryRun(shell, "-Djdk.readPollers=2", "shop.jar");
        assertEquals(1, count(own.flags(), "-Djdk.readPollers="), own.command());
        assertTrue(own.flags().contains("-Djdk.readPollers=2"), own.command());
        assertTrue(own.out().contains("note: keeping your -Djdk.readPollers=2 (profile g1 would set -Djdk.readPollers=1)"),
                own.out());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void profilesPickTheirCollector(String shell) {
        List<String> g1 = dryRun(shell, "shop.jar").flags();
        assertTrue(g1.containsAll(List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=200", "-Xms604M")), g1.toString());

        List<String> latency = dryRun(shell, "--profile", "latency", "shop.jar").flags();
        assertTrue(latency.contains("-XX:+UseZGC"), latency.toString());
        assertEquals(0, count(latency, "-XX:MaxGCPauseMillis"), latency.toString());

        List<String> throughput = dryRun(shell, "--profile=throughput", "shop.jar").flags();
        assertTrue(throughput.contains("-XX:+UseParallelGC"), throughput.toString());

        Launcher.Result small = dryRun(shell, "--profile", "small", "shop.jar");
        assertTrue(small.flags().contains("-XX:+UseSerialGC"), small.command());
        assertEquals(0, count(small.flags(), "-Xms"), "small grows its heap on demand: " + small.command());
        // The fixture container has 1 GiB: under 1792 MB the JVM would pick Serial by itself.
        assertTrue(small.out().contains("note: profile small: Serial (under 2 CPUs or 1792 MB, the JVM picks Serial by itself)"),
                small.out());

        Launcher.Result unknown = new Launcher(shell, "cgroup-v2").run("--dry-run", "--profile", "fast", "shop.jar");
        unknown.expectStatus(2);
        assertTrue(unknown.err().contains("unknown profile 'fast': use g1, latency, throughput, small or none"),
                unknown.err());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void profileNoneLeavesTheJvmItsErgonomicsAndOnlyObserves(String shell) {
        Launcher.Result none = dryRun(shell, "--profile", "none", "--log-dir", "/var/log/shop", "shop.jar");
        List<String> flags = none.flags();
        assertEquals(List.of(
                "-Xlog:gc*:file=/var/log/shop/gc.log:time,uptime,level,tags:filecount=5,filesize=20m",
                "-XX:+HeapDumpOnOutOfMemoryError",
                "-XX:HeapDumpPath=/var/log/shop",
                "-XX:StartFlightRecording=name=weft,settings=default,disk=true,maxage=6h,maxsize=250m,dumponexit=true,"
                        + "filename=/var/log/shop/weft.jfr",
                "-jar", "shop.jar"), flags, none.out());
        assertTrue(none.out().contains("note: profile none: no collector, heap"), none.out());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void theUsersFlagsWinAndTheLauncherSaysSo(String shell) {
        Launcher.Result r = dryRun(shell, "-Xmx300m", "-XX:+UseParallelGC", "-XX:ActiveProcessorCount=4",
                "-Xlog:gc:stdout", "-XX:-HeapDumpOnOutOfMemoryError", "shop.jar", "--port", "9090");
        List<String> flags = r.flags();
        assertTrue(flags.contains("-Xmx300m"), r.command());
        assertEquals(1, count(flags, "-Xmx"), r.command());
        assertEquals(0, count(flags, "-Xms"), "the user sized the heap: " + r.command());
        assertTrue(flags.contains("-XX:+UseParallelGC"), r.command());
        assertEquals(1, count(flags, "-XX:+Use"), r.command());
        assertEquals(0, count(flags, "-XX:MaxGCPauseMillis"), r.command());
        assertEquals(1, count(flags, "-XX:ActiveProcessorCount="), r.command());
        assertTrue(flags.contains("-XX:ActiveProcessorCount=4"), r.command());
        assertTrue(r.out().contains("note: keeping your -XX:ActiveProcessorCount=4 (the JVM would count 2 CPUs itself)"), r.out());
        assertEquals(1, count(flags, "-Xlog:"), r.command());
        assertTrue(flags.contains("-XX:-HeapDumpOnOutOfMemoryError"), r.command());
        assertFalse(flags.contains("-XX:+HeapDumpOnOutOfMemoryError"), r.command());
        assertTrue(r.out().contains("note: keeping your heap setting -Xmx300m (the calculator would set -Xmx604M)"), r.out());
        assertTrue(r.out().contains("note: keeping your collector -XX:+UseParallelGC (profile g1 would set -XX:+UseG1GC)"), r.out());
        assertTrue(r.out().contains("note: not adding -XX:MaxGCPauseMillis=200, a G1 setting"), r.out());
        assertTrue(r.out().contains("note: keeping your -Xlog:gc:stdout"), r.out());
        assertTrue(r.command().endsWith("-jar shop.jar --port 9090"), "application arguments follow the jar: " + r.command());

        Launcher.Result tooBig = dryRun(shell, "-Xmx900m", "shop.jar");
        assertTrue(tooBig.out().contains("WARNING: your heap 900 MiB + non-heap 419 MiB exceeds the container's 1024 MiB by 295 MiB"),
                tooBig.out());
        assertTrue(tooBig.flags().contains("-Xmx900m"), tooBig.command());

        Launcher.Result fromEnvironment = new Launcher(shell, "cgroup-v2").env("JAVA_TOOL_OPTIONS", "-XX:+UseZGC -Xmx256m")
                .run("--dry-run", "shop.jar").expectStatus(0);
        assertEquals(0, count(fromEnvironment.flags(), "-XX:+Use"), "the JVM reads JAVA_TOOL_OPTIONS itself: " + fromEnvironment.command());
        assertEquals(0, count(fromEnvironment.flags(), "-Xmx"), fromEnvironment.command());
        assertTrue(fromEnvironment.out().contains("keeping your collector -XX:+UseZGC"), fromEnvironment.out());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void jfrIsOnUnlessOptedOutOrTheUserHasTheirOwn(String shell) {
        assertEquals(1, count(dryRun(shell, "shop.jar").flags(), "-XX:StartFlightRecording"));

        Launcher.Result off = dryRun(shell, "--no-jfr", "shop.jar");
        assertEquals(0, count(off.flags(), "-XX:StartFlightRecording"), off.command());
        assertTrue(off.out().contains("note: no JFR recording (--no-jfr)"), off.out());

        Launcher.Result own = dryRun(shell, "-XX:StartFlightRecording=duration=60s,filename=x.jfr", "shop.jar");
        assertEquals(1, count(own.flags(), "-XX:StartFlightRecording"), own.command());
        assertTrue(own.flags().contains("-XX:StartFlightRecording=duration=60s,filename=x.jfr"), own.command());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aotTrainsOnTheFirstRunThenStartsFromTheCache(String shell) throws Exception {
        Path jar = Files.writeString(dir.resolve("shop.jar"), "not really a jar");
        Path cache = dir.resolve("shop-latency.aot");

        Launcher.Result training = dryRun(shell, "--aot", "--profile", "latency", jar.toString());
        assertTrue(training.flags().contains("-XX:AOTCacheOutput=" + cache), training.command());
        assertTrue(training.out().contains("training run"), training.out());
        assertTrue(training.flags().stream().anyMatch(f -> f.startsWith("-Xlog:gc*:file=logs/gc-%p.log:")), training.command());
        // The JVM records nothing while it trains, but the flag keeps the module graph (jdk.jfr) of the runs after.
        assertEquals(1, count(training.flags(), "-XX:StartFlightRecording"), training.command());

        Files.writeString(cache, "cache");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        Launcher.Result warm = dryRun(shell, "--aot", "--profile", "latency", jar.toString());
        assertTrue(warm.flags().contains("-XX:AOTCache=" + cache), warm.command());
        assertTrue(warm.flags().stream().anyMatch(f -> f.startsWith("-Xlog:gc*:file=logs/gc.log:")), warm.command());
        assertEquals(1, count(warm.flags(), "-XX:StartFlightRecording"), warm.command());
        assertEquals(0, count(warm.flags(), "-XX:AOTCacheOutput"), warm.command());

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        Launcher.Result rebuilt = dryRun(shell, "--aot", "--profile", "latency", jar.toString());
        assertTrue(rebuilt.flags().contains("-XX:AOTCacheOutput=" + cache), "a jar newer than its cache retrains: "
                + rebuilt.command());
    }
}
