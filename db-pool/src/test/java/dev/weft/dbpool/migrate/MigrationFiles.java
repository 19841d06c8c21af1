package dev.weft.dbpool.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Variants of the test migrations, laid out as a classpath directory or a jar under a temporary folder, so that a
 * test can edit, add or misname a file without a copy of the whole set in the test resources.
 */
final class MigrationFiles {
    /** The classpath location of the good set, and where the variants put theirs. */
    static final String LOCATION = "dev/weft/dbpool/migrations";

    private final Map<String, String> files = new LinkedHashMap<>();

    private MigrationFiles() {}

    /** The good set: V1 and V2 as in the test resources. */
    static MigrationFiles standard() throws IOException {
        MigrationFiles set = new MigrationFiles();
        set.put("V1__create_orders.sql", resource("V1__create_orders.sql"));
        set.put("V2__add_order_status.sql", resource("V2__add_order_status.sql"));
        return set;
    }

    /** The text of one file of the good set. */
    static String resource(String name) throws IOException {
        try (InputStream in = MigrationFiles.class.getClassLoader().getResourceAsStream(LOCATION + "/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Adds or replaces the file {@code name}. */
    MigrationFiles put(String name, String sql) {
        files.put(name, sql);
        return this;
    }

    /** A class loader that sees the set as the directory {@link #LOCATION} under {@code root}. */
    ClassLoader asDirectory(Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve(LOCATION));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    }

    /** A class loader that sees the set inside the jar {@code jar}, as a packaged service would. */
    ClassLoader asJar(Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
            String path = "";
            for (String part : LOCATION.split("/")) {
                path += part + "/";
                zip.putNextEntry(new JarEntry(path));
                zip.closeEntry();
            }
            for (Map.Entry<String, String> f : files.entrySet()) {
                zip.putNextEntry(new JarEntry(LOCATION + "/" + f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    }
}
