package dev.weft.dbpool.bench;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;

import dev.weft.dbpool.DbPoolConfig;
import dev.weft.dbpool.migrate.Migrations;
import dev.weft.dbpool.migrate.SchemaMigrator;

/**
 * One cold start of what a service does before it serves: open the embedded H2 database and migrate the shop's
 * schema, with Flyway ({@code flyway}), with the hand-written migrator that Flyway replaced ({@code hand-written},
 * compiled from git history by {@code migration-startup.sh}), or not at all ({@code none}: the JVM and H2 alone,
 * subtracted from the others). Prints the time spent in {@code main}; the script times the whole process.
 */
public final class MigrationStartup {
    private static final String LOCATION = "dev/weft/dbpool/shop-migrations";

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(DbPoolConfig.embeddedH2Url("startup"));
        int applied;
        try (Connection keepAlive = h2.getConnection(); Statement s = keepAlive.createStatement()) {
            s.execute("SELECT 1");
            applied = switch (args[0]) {
                case "none" -> 0;
                case "flyway" -> Migrations.of(List.of("classpath:" + LOCATION)).applyTo(h2, null).size();
                case "hand-written" -> new SchemaMigrator(h2, LOCATION).migrate().size();
                default -> throw new IllegalArgumentException("none, flyway or hand-written, was " + args[0]);
            };
        }
        if (!args[0].equals("none") && applied == 0) {
            throw new IllegalStateException(args[0] + " applied nothing");
        }
        System.out.printf("%s %d %.1f%n", args[0], applied, (System.nanoTime() - start) / 1e6);
    }
}
