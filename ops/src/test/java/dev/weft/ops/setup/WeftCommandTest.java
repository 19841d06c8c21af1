package dev.weft.ops.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code ./weft}: its usage and exit statuses, which Maven it picks (a fake {@code mvn} on a PATH
 * that has no other, or the real {@code ./mvnw}), what {@code run} prints while Maven builds, and the JRE sentence.
 */
class WeftCommandTest {

    static final Path WEFT = Path.of("..", "weft").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path path;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void pathWithoutMaven() throws IOException {
        path = FakeJava.pathWithout(dir.resolve("path"), "mvn", "mvnDebug", "java", "javac");
        env.put("JAVA_HOME", System.getProperty("java.home"));
    }

    @AfterEach
    void removePath() throws IOException {
        FakeJava.removeLinks(path);
    }

    record Result(int status, String out, String err) {
    }

    private Result weft(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/sh", WEFT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> e = pb.environment();
        e.remove("JAVA_HOME");
        e.remove("MAVEN_OPTS");
        e.put("PATH", path.toString());
        e.putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./weft did not finish: " + command);
        }
        return new Result(p.exitValue(), out, err.join());
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A fake mvn that says it is {@code version} and echoes what it was asked; {@code body} replaces the echo. */
    private void fakeMaven(String version, String body) throws IOException {
        FakeJava.script(path.resolve("mvn"), """
                #!/bin/sh
                if [ "$1" = -v ]; then printf '\\033[1mApache Maven %s\\033[m\\nMaven home: /fake\\n'; exit 0; fi
                %s
                """.formatted(version, body));
    }

    @Test
    void helpExitsZeroAndAnUnknownCommandTwo() throws Exception {
        for (String help : List.of("help", "-h", "--help")) {
            Result r = weft(help);
            assertEquals(0, r.status(), help + ": " + r.err());
            assertTrue(r.out().startsWith("usage: ./weft COMMAND [ARGS...]"), r.out());
            assertTrue(r.out().contains("  run [ARGS...]") && r.out().contains("  mvn ARGS..."), r.out());
            assertEquals("", r.err());
        }
        Result unknown = weft("deploy");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("weft: unknown command 'deploy'\nusage: ./weft"), unknown.err());
        Result none = weft();
        assertEquals(2, none.status());
        assertTrue(none.err().startsWith("usage: ./weft"), none.err());
    }

    @Test
    void aNewEnoughMavenOnThePathIsUsed() throws Exception {
        fakeMaven("3.9.11", "echo \"fake mvn $*\"");
        Result r = weft("mvn", "-q", "verify");
        assertEquals(0, r.status(), r.err());
        assertEquals("fake mvn -q verify\n", r.out());
        assertEquals("weft: Maven 3.9.11 (" + path.resolve("mvn") + ")\n", r.err());
    }

    @Test
    void anOldMavenFallsBackToTheWrapper() throws Exception {
        fakeMaven("3.6.3", "echo 'the old mvn must not run' >&2; exit 1");
        Result r = weft("mvn", "-v");
        assertEquals(0, r.status(), r.err());
        String wrapped = wrapperVersion();
        assertTrue(r.err().startsWith("weft: the mvn on the PATH is Maven 3.6.3, older than the 3.9.0 the build needs;"
                + " using ./mvnw"), r.err());
        assertTrue(r.out().startsWith("Apache Maven " + wrapped + " "), "the wrapper's Maven ran:\n" + r.out());
        assertFalse(r.err().contains("must not run"), r.err());

        Files.delete(path.resolve("mvn"));
        Result none = weft("mvn", "-v");
        assertEquals(0, none.status(), none.err());
        assertTrue(none.err().startsWith("weft: no mvn on the PATH; using ./mvnw"), none.err());
        assertTrue(none.out().startsWith("Apache Maven " + wrapped + " "), none.out());
    }

    @Test
    void runShowsALinePerModuleAndDownloadsWhileMavenBuilds() throws Exception {
        // Maven's batch output, shortened: 450 downloads and three modules, then a compile error.
        fakeMaven("3.9.11", """
                i=0; while [ $i -lt 450 ]; do
                  echo "[INFO] Downloading from central: https://repo.maven.apache.org/maven2/x/$i.pom"
                  echo "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/x/$i.pom (2 kB at 9 kB/s)"
                  i=$((i + 1))
                done
                echo '[INFO] Building Weft testkit 0.1.0-SNAPSHOT                                       [1/3]'
                echo '[INFO] --- compiler:3.14.0:compile (default-compile) @ weft-testkit ---'
                echo '[INFO] Building jar: /x/testkit/target/weft-testkit.jar'
                echo '[INFO] Building Weft server-core 0.1.0-SNAPSHOT                                   [2/3]'
                echo '[ERROR] /x/Server.java:[1,1] class, interface, enum, or record expected'
                exit 1
                """);
        Result r = weft("run");
        assertEquals(1, r.status(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(List.of(
                "weft: Maven 3.9.11 (" + path.resolve("mvn") + ")",
                "weft: building the shop and the modules it uses (the first build also downloads their dependencies);"
                        + " the whole log is in target/weft-build.log",
                "weft:   100 files downloaded",
                "weft:   200 files downloaded",
                "weft:   300 files downloaded",
                "weft:   400 files downloaded",
                "weft: [1/3] Weft testkit",
                "weft: [2/3] Weft server-core",
                "[ERROR] /x/Server.java:[1,1] class, interface, enum, or record expected",
                "weft: the build failed (exit status 1); the whole log is in target/weft-build.log"), lines);
        assertEquals("", r.out());
    }

    @Test
    void aJreAloneIsNamedAsSuch() throws Exception {
        Path root = dir.resolve("root");
        Path jre = FakeJava.jre(root.resolve("usr/lib/jvm/temurin-25-jre"), "25.0.1");
        env.remove("JAVA_HOME");
        env.put("HOME", dir.resolve("home").toString());
        env.put("WEFT_JDK_SEARCH_ROOT", root.toString());
        Result r = weft("java", "-version");
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().startsWith("weft: " + jre + " is a Java 25.0.1 runtime without javac (a JRE), which cannot "
                + "build Weft: install a JDK 25 (not a JRE)"), r.err());
    }

    private static String wrapperVersion() throws IOException {
        Matcher m = Pattern.compile("apache-maven-([^/]+)-bin\\.zip").matcher(
                Files.readString(WEFT.resolveSibling(".mvn/wrapper/maven-wrapper.properties")));
        assertTrue(m.find());
        return m.group(1);
    }
}
