package dev.weft.dbpool.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the migrations in one classpath directory, in a directory of classes or inside a jar: every file named
 * {@code V<version>__<description>.sql}. Other files there are an error rather than silently skipped, since a
 * misnamed migration that never runs is worse than a failed start.
 */
public final class ClasspathMigrations {
    private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

    private ClasspathMigrations() {}

    /** The migrations under {@code location} (e.g. {@code "db/migration"}), ordered by version. */
    public static List<Migration> find(ClassLoader loader, String location) throws MigrationException {
        String dir = location.replaceAll("^/+|/+$", "");
        Map<Integer, Migration> byVersion = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        try {
            Enumeration<URL> roots = loader.getResources(dir);
            if (!roots.hasMoreElements()) {
                throw new MigrationException("no migrations: classpath location " + dir + " does not exist");
            }
            while (roots.hasMoreElements()) {
                for (String file : fileNames(roots.nextElement())) {
                    Matcher m = NAME.matcher(file);
                    if (!m.matches()) {
                        problems.add(dir + "/" + file + ": not a migration name (V<number>__<words>.sql)");
                        continue;
                    }
                    Migration migration = read(loader, dir + "/" + file, Integer.parseInt(m.group(1)),
                            m.group(2).replace('_', ' '));
                    Migration other = byVersion.putIfAbsent(migration.version(), migration);
                    if (other != null) {
                        problems.add(migration.resource() + ": version " + migration.version() + " is also "
                                + other.resource());
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new MigrationException("cannot list migrations under " + dir + ": " + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            throw new MigrationException("bad migrations:\n  - " + String.join("\n  - ", problems));
        }
        return List.copyOf(byVersion.values());
    }

    private static List<String> fileNames(URL root) throws IOException, URISyntaxException {
        URI uri = root.toURI();
        if ("jar".equals(uri.getScheme())) {
            String inside = uri.getSchemeSpecificPart();
            String dir = inside.substring(inside.indexOf("!/") + 1);
            try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                return list(fs.getPath(dir));
            } catch (FileSystemAlreadyExistsException e) {
                return list(FileSystems.getFileSystem(uri).getPath(dir)); // someone else's: leave it open
            }
        }
        return list(Path.of(uri));
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .sorted(Comparator.naturalOrder()).toList();
        }
    }

    private static Migration read(ClassLoader loader, String resource, int version, String description)
            throws IOException {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " vanished while reading");
            }
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Migration(version, description, resource, sql, checksum(sql));
        }
    }

    static String checksum(String sql) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(sql.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
