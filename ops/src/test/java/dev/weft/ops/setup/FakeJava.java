package dev.weft.ops.setup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Fake Java installations for the JDK finder's tests: a {@code bin/java} script that answers
 * {@code -XshowSettings:properties -version} the way a real one does (on stderr, with {@code java.home} and
 * {@code java.version}), a {@code bin/javac} for a JDK, and optionally the {@code release} file a JDK image has.
 */
final class FakeJava {

    private FakeJava() {
    }

    /** A JDK of {@code version} at {@code home}, with a release file. */
    static Path jdk(Path home, String version) {
        return make(home, version, true, true);
    }

    /** A JDK whose version only {@code java} itself can tell (no release file). */
    static Path jdkWithoutRelease(Path home, String version) {
        return make(home, version, true, false);
    }

    /** A runtime without javac: a JRE. */
    static Path jre(Path home, String version) {
        return make(home, version, false, true);
    }

    private static Path make(Path home, String version, boolean javac, boolean release) {
        try {
            Path bin = Files.createDirectories(home.resolve("bin"));
            // Shell built-ins only: the tests' PATH holds just what the finder itself runs.
            script(bin.resolve("java"), """
                    #!/bin/sh
                    printf '%%s\\n' 'Property settings:' '    java.home = %s' '    java.specification.version = %s' \\
                        '    java.version = %s' 'openjdk version "%s"' >&2
                    """.formatted(home, version.replaceAll("[.-].*", ""), version, version));
            if (javac) {
                script(bin.resolve("javac"), "#!/bin/sh\nexit 0\n");
            }
            if (release) {
                Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Fake\"\nJAVA_VERSION=\"" + version + "\"\n");
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * A directory of links to every command in /usr/bin and /bin except the named ones: a PATH on which, say, there
     * is no {@code mvn} and no {@code java}, and everything else a script needs.
     */
    static Path pathWithout(Path dir, String... left) throws IOException {
        Path links = Files.createDirectories(dir);
        var skip = java.util.Set.of(left);
        for (String from : new String[] {"/usr/bin", "/bin"}) {
            try (var commands = Files.list(Path.of(from))) {
                for (Path command : (Iterable<Path>) commands::iterator) {
                    String name = command.getFileName().toString();
                    Path link = links.resolve(name);
                    if (!skip.contains(name) && Files.notExists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, command);
                    }
                }
            }
        }
        return links;
    }

    /** A directory of links to just the named commands (from /usr/bin or /bin): a PATH with nothing else on it. */
    static Path pathOf(Path dir, String... commands) throws IOException {
        Path links = Files.createDirectories(dir);
        for (String name : commands) {
            Path command = Files.isExecutable(Path.of("/usr/bin", name)) ? Path.of("/usr/bin", name) : Path.of("/bin", name);
            Files.createSymbolicLink(links.resolve(name), command);
        }
        return links;
    }

    /** Removes the links {@link #pathWithout} made (before the temporary directory goes, which warns about each). */
    static void removeLinks(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (Files.isSymbolicLink(entry)) {
                    Files.delete(entry);
                }
            }
        }
    }
}
