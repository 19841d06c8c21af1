package dev.weft.ops.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ops.launch.Launcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ops/bin/find-jdk.sh}, which {@code ./weft} and {@code weft-launch} share, against fake Java installations
 * ({@link FakeJava}) in a temporary tree: $HOME, SDKMAN's directory and the system-wide places (moved there with
 * WEFT_JDK_SEARCH_ROOT), with a PATH that has no java of its own.
 */
class JdkFinderTest {

    static final Path FINDER = Path.of("bin", "find-jdk.sh").toAbsolutePath();

    @TempDir
    Path dir;

    private Path home;
    private Path root;
    private Path path;
    private final Map<String, String> env = new HashMap<>();

    static Iterable<String> shells() {
        return Launcher.shells();
    }

    @BeforeEach
    void tree() throws IOException {
        home = Files.createDirectories(dir.resolve("home"));
        root = Files.createDirectories(dir.resolve("root"));
        // What the finder runs besides java: nothing else is on the PATH, so no java of the machine's either.
        path = FakeJava.pathOf(dir.resolve("path"), "sed", "awk", "sort", "tail", "cut");
    }

    @AfterEach
    void removePath() throws IOException {
        FakeJava.removeLinks(path);
    }

    record Found(String home, String err) {
    }

    /** Sources the finder under {@code shell} and calls {@code weft_find_java KIND} (and weft_no_java when empty). */
    private Found find(String shell, String kind) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(shell, "-c",
                ". \"$1\"; h=$(weft_find_java \"$2\"); echo \"$h\"; [ -n \"$h\" ] || weft_no_java weft \"$2\"",
                "sh", FINDER.toString(), kind);
        Map<String, String> e = pb.environment();
        e.clear();
        e.put("PATH", path.toString());
        e.put("HOME", home.toString());
        e.put("WEFT_JDK_SEARCH_ROOT", root.toString());
        e.putAll(env);
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream()).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the finder did not finish");
        assertEquals(0, p.exitValue(), err.join());
        return new Found(out, err.join());
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("shells")
    void sdkmanCandidatesAreFound(String shell) throws Exception {
        Path candidates = home.resolve(".sdkman/candidates/java");
        FakeJava.jdk(candidates.resolve("21.0.5-tem"), "21.0.5");
        Path jdk25 = FakeJava.jdk(candidates.resolve("25.0.1-tem"), "25.0.1");
        Files.createSymbolicLink(candidates.resolve("current"), jdk25);
        assertEquals(jdk25.toRealPath(), Path.of(find(shell, "jdk").home()).toRealPath(), "~/.sdkman by default");

        Path elsewhere = FakeJava.jdk(dir.resolve("sdk/candidates/java/25.0.2-zulu"), "25.0.2");
        env.put("SDKMAN_DIR", dir.resolve("sdk").toString());
        assertEquals(elsewhere.toString(), find(shell, "jdk").home(), "$SDKMAN_DIR when set");
    }

    @ParameterizedTest
    @MethodSource("shells")
    void macOsBundlesAreFoundTheNewestFirst(String shell) throws Exception {
        Path vms = root.resolve("Library/Java/JavaVirtualMachines");
        Path temurin = FakeJava.jdkWithoutRelease(vms.resolve("temurin-25.jdk/Contents/Home"), "25.0.2");
        FakeJava.jdk(vms.resolve("zulu-21.jdk/Contents/Home"), "21.0.7");
        assertEquals(temurin.toString(), find(shell, "jdk").home(), "a bundle's version from java itself");

        Path newer = FakeJava.jdk(vms.resolve("corretto-26.jdk/Contents/Home"), "26.0.1");
        assertEquals(newer.toString(), find(shell, "jdk").home());

        // macOS's own choice, when /usr/libexec/java_home is there, comes before the scan.
        Path libexec = Files.createDirectories(root.resolve("usr/libexec"));
        FakeJava.script(libexec.resolve("java_home"),
                "#!/bin/sh\n[ \"$1 $2\" = '-v 25+' ] && echo '" + temurin + "'\n");
        assertEquals(temurin.toString(), find(shell, "jdk").home(), "java_home -v 25+ answers first");

        Path homebrew = FakeJava.jdk(root.resolve("opt/homebrew/opt/openjdk/libexec/openjdk.jdk/Contents/Home"), "26.0.2");
        Files.delete(libexec.resolve("java_home"));
        assertEquals(homebrew.toString(), find(shell, "jdk").home(), "Homebrew's keg-only openjdk");
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aJreIsRejectedWithASentenceSayingWhatToInstall(String shell) throws Exception {
        Path jre = FakeJava.jre(root.resolve("usr/lib/jvm/temurin-25-jre"), "25.0.1");
        env.put("JAVA_HOME", jre.toString());
        Found found = find(shell, "jdk");
        assertEquals("", found.home(), "a runtime without javac cannot build Weft");
        assertEquals(jre + " is a Java 25.0.1 runtime without javac (a JRE), which cannot build Weft: install a "
                + "JDK 25 (not a JRE), for example Temurin 25 from https://adoptium.net or 'apt-get install "
                + "openjdk-25-jdk', and set JAVA_HOME to it if it is not found by itself.",
                found.err().strip().replaceFirst("^weft: ", ""));
        assertEquals(1, found.err().strip().lines().count(), "one sentence: " + found.err());

        // weft-launch only runs a jar: there a JRE (or a jlink image) is what production images ship.
        assertEquals(jre.toString(), find(shell, "runtime").home());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void javaHomeIsPreferred(String shell) throws Exception {
        FakeJava.jdk(root.resolve("usr/lib/jvm/jdk-26"), "26.0.1");
        Path own = FakeJava.jdk(dir.resolve("my-jdk-25"), "25.0.1");
        env.put("JAVA_HOME", own.toString());
        assertEquals(own.toString(), find(shell, "jdk").home(), "$JAVA_HOME over a newer JDK elsewhere");

        env.put("JAVA_HOME", FakeJava.jdk(dir.resolve("old-jdk"), "21.0.5").toString());
        assertEquals(root.resolve("usr/lib/jvm/jdk-26").toString(), find(shell, "jdk").home(), "a $JAVA_HOME under 25 is passed over");
    }

    @ParameterizedTest
    @MethodSource("shells")
    void javaOnThePathComesNext(String shell) throws Exception {
        FakeJava.jdk(root.resolve("usr/lib/jvm/jdk-26"), "26.0.1");
        Path onPath = FakeJava.jdkWithoutRelease(dir.resolve("tools/jdk-25"), "25.0.3");
        Files.createSymbolicLink(path.resolve("java"), onPath.resolve("bin/java"));
        assertEquals(onPath.toString(), find(shell, "jdk").home(), "the java on the PATH names its home itself");
    }

    @ParameterizedTest
    @MethodSource("shells")
    void theNewestVersionWinsNotTheLastName(String shell) throws Exception {
        FakeJava.jdk(root.resolve("usr/lib/jvm/temurin-25-jdk-amd64"), "25.0.9");
        Path newest = FakeJava.jdk(root.resolve("opt/jdk-25.0.10"), "25.0.10");
        FakeJava.jdk(root.resolve("usr/java/jdk-25"), "25");
        assertEquals(newest.toString(), find(shell, "jdk").home());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void withNothingItSaysWhereItLookedAndWhatToInstall(String shell) throws Exception {
        FakeJava.jdk(root.resolve("usr/lib/jvm/java-17"), "17.0.15");
        Found found = find(shell, "jdk");
        assertEquals("", found.home());
        List<String> lines = found.err().strip().lines().toList();
        assertTrue(lines.getFirst().startsWith("weft: no Java 25 found (looked at $JAVA_HOME, java on the PATH, "
                + "/usr/libexec/java_home, SDKMAN, ~/.jdks, /Library/Java/JavaVirtualMachines, Homebrew, "
                + "/usr/lib/jvm, /usr/java, /opt)."), found.err());
        assertTrue(lines.getLast().startsWith("weft: install a JDK 25 (for example Temurin 25"), found.err());
    }
}
