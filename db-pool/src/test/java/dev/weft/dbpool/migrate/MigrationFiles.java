package dev.weft.dbpool.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import javax.sql.DataSource;

/**
 * The test migrations, and variants of them laid out as a directory or a jar under a temporary folder, so that a
 * test can edit, add or misname a file without a copy of the whole set in the test resources.
 */
final class MigrationFiles {
    /** The classpath folder of the good set. */
    static final String LOCATION = "dev/weft/dbpool/migrations";
    /** The good set as a service configures it. */
    static final Migrations STANDARD = Migrations.of(List.of("classpath:" + LOCATION));
    /** A module's set: its own location and history table, and a placeholder for its table's name. */
    static final Migrations MODULE = new Migrations(List.of("classpath:dev/weft/dbpool/module-migrations"),
            "module_schema_history", Map.of("outboxTable", "module_outbox"));

    /** A set written twice, once per database: Flyway puts the database's name in place of {@code {vendor}}. */
    static final Migrations PER_DATABASE = new Migrations(List.of("classpath:dev/weft/dbpool/vendor-migrations/{vendor}"),
            "vendor_schema_history", Map.of());

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

    /** Writes the set into the directory {@code dir}; returns its Flyway location, {@code filesystem:<dir>}. */
    String asDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
        return "filesystem:" + dir;
    }

    /**
     * Writes the set into the jar {@code jar} under the folder {@code location}, as a packaged service has it;
     * returns a class loader that sees the jar over the test class path.
     */
    ClassLoader asJar(Path jar, String location) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
            String path = "";
            for (String part : location.split("/")) {
                path += part + "/";
                zip.putNextEntry(new JarEntry(path));
                zip.closeEntry();
            }
            for (Map.Entry<String, String> f : files.entrySet()) {
                zip.putNextEntry(new JarEntry(location + "/" + f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, MigrationFiles.class.getClassLoader());
    }

    /** The versions {@code historyTable} records as applied by an SQL file, in order. */
    static List<String> applied(DataSource dataSource, String historyTable) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM " + historyTable
                     + " WHERE type = 'SQL' AND success ORDER BY installed_rank")) {
            List<String> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
            return versions;
        }
    }

    /** The versions of {@code applied}. */
    static List<String> versions(List<AppliedMigration> applied) {
        return applied.stream().map(AppliedMigration::version).toList();
    }
}
