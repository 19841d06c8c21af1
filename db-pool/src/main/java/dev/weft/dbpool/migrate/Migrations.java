package dev.weft.dbpool.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

/**
 * One set of schema migrations, run by Flyway: the SQL files {@code V<version>__<words>.sql} under
 * {@code locations}, recorded in their own {@code historyTable}. A service runs its own tables with the defaults
 * ({@link #of}); a module that ships tables (async-events' outbox) ships them as a set of its own, in its own
 * location with its own history table, so that its versions and the service's never collide, and the service runs
 * both on the same pool:
 *
 * <pre>{@code
 * db.migrate();                                                     // the service's: db.migrations
 * db.migrate(new Migrations(List.of("classpath:dev/weft/events/migration/{vendor}"),
 *         "weft_events_schema_history", Map.of()));                  // a module's
 * }</pre>
 *
 * <p>Flyway applies, in version order, each file the history table does not list, each in its own transaction with
 * its history row, and refuses to run when an applied file was edited (checksum), when a new file's version is below
 * an applied one, when a file in a location is misnamed, when two files share a version, or when a location does
 * not exist: a migration that silently never runs is worse than a failed start. A version recorded without a file
 * (applied by a newer build) is left alone. On PostgreSQL an advisory lock serialises instances that start
 * together, and a failed file leaves nothing behind (DDL is transactional); H2 commits DDL as it goes.
 *
 * <p>A set whose SQL differs between databases keeps one folder per database and names it with {@code {vendor}}
 * ({@code classpath:dev/weft/events/migration/{vendor}}), which stands for the database the data source is connected
 * to: its JDBC product name in lower case without spaces, that is {@code postgresql}, {@code h2}, {@code mysql},
 * {@code mariadb} (the names Spring Boot uses for these).
 *
 * @param locations    Flyway locations ({@code classpath:db/migration}, {@code filesystem:/srv/sql}); empty for none
 * @param historyTable the table recording what was applied, in the target schema
 * @param placeholders values for {@code ${name}} in the SQL files; a placeholder without a value fails the run
 */
public record Migrations(List<String> locations, String historyTable, Map<String, String> placeholders) {
    /** Flyway's own default history table: the one for a service's migrations. */
    public static final String DEFAULT_HISTORY_TABLE = "flyway_schema_history";

    /** In a location, the database's name. */
    private static final String VENDOR = "{vendor}";
    /** The JDBC product name of PostgreSQL. */
    private static final String POSTGRESQL = "PostgreSQL";
    /** A history table name that needs no quoting on PostgreSQL (63 characters) or H2. */
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** Copies the collections; throws {@link IllegalArgumentException} for a history table that is no plain name. */
    public Migrations {
        locations = List.copyOf(locations);
        placeholders = Map.copyOf(placeholders);
        Objects.requireNonNull(historyTable, "historyTable");
        if (!TABLE.matcher(historyTable).matches()) {
            throw new IllegalArgumentException("historyTable must be a lower-case SQL identifier, was \""
                    + historyTable + "\"");
        }
    }

    /** The service's own migrations: {@code locations}, Flyway's default history table, no placeholders. */
    public static Migrations of(List<String> locations) {
        return new Migrations(locations, DEFAULT_HISTORY_TABLE, Map.of());
    }

    /**
     * Applies what is pending to {@code dataSource}, in {@code schema} (created when missing; null for the
     * connection's current schema), and returns the migrations applied by this call in order: empty when the
     * schema was up to date or there are no locations. It takes up to two connections at once from
     * {@code dataSource} (Flyway's two on H2; on PostgreSQL the set's lock and Flyway's one), so a pool of one
     * must not be handed in: {@link dev.weft.dbpool.DbPool#migrate} gives it connections of its own.
     *
     * @throws FlywayException when a file cannot be applied or the files do not match the history (see above)
     */
    public List<AppliedMigration> applyTo(DataSource dataSource, String schema) {
        if (locations.isEmpty()) {
            return List.of();
        }
        String product = productName(dataSource);
        String vendor = product.toLowerCase(Locale.ROOT).replace(" ", "");
        FluentConfiguration flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations(locations.stream().map(l -> l.replace(VENDOR, vendor)).toArray(String[]::new))
                .table(historyTable)
                .placeholders(placeholders)
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                // Several sets share a schema, so a set finds it holding other sets' tables on its first run:
                // its history then starts empty (baseline 0) and all its files run.
                .baselineOnMigrate(true)
                .baselineVersion("0");
        // PostgreSQL: one connection holding a session advisory lock for the whole run. Flyway's default, a
        // transaction-scoped lock held open on a second connection, makes CREATE INDEX CONCURRENTLY (which waits
        // for every open transaction) wait for the lock's transaction forever.
        flyway.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        if (schema != null) {
            flyway.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        Flyway run = flyway.load();
        MigrateResult result = POSTGRESQL.equals(product) ? serialised(dataSource, schema, run) : run.migrate();
        return result.migrations.stream().map(Migrations::applied).toList();
    }

    private static String productName(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new FlywayException("cannot connect to migrate: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code flyway} holding a session advisory lock named for this set's history table. Flyway's own lock
     * covers applying migrations but not its first look at the schema: two instances starting together on a fresh
     * schema both find no history table, the second then finds the first's table half made and refuses to baseline.
     * Under this lock the second instance starts once the first is done and finds everything applied.
     */
    private MigrateResult serialised(DataSource dataSource, String schema, Flyway flyway) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement lock = connection.prepareStatement(
                     "SELECT pg_advisory_lock(hashtext(coalesce(?, current_schema()) || '.' || ?))");
             PreparedStatement unlock = connection.prepareStatement(
                     "SELECT pg_advisory_unlock(hashtext(coalesce(?, current_schema()) || '.' || ?))")) {
            for (PreparedStatement s : List.of(lock, unlock)) {
                s.setString(1, schema);
                s.setString(2, historyTable);
            }
            lock.execute();
            try {
                return flyway.migrate();
            } finally {
                unlock.execute();
            }
        } catch (SQLException e) {
            throw new FlywayException("cannot hold the migration lock for " + historyTable + ": " + e.getMessage(), e);
        }
    }

    private static AppliedMigration applied(MigrateOutput m) {
        return new AppliedMigration(m.version, m.description, m.filepath, Duration.ofMillis(m.executionTime));
    }
}
