package dev.weft.dbpool;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The driver properties a pool sets for its database, chosen by the JDBC URL's prefix. They are the settings that
 * HikariCP's own guides recommend for each driver; a configuration's {@code dataSourceProperties} add to or
 * override them.
 */
public final class DriverProperties {
    private DriverProperties() {}

    /** The database family a JDBC URL points at. */
    public enum Database { POSTGRESQL, MYSQL, MARIADB, H2, OTHER }

    public static Database databaseOf(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return Database.POSTGRESQL;
        } else if (jdbcUrl.startsWith("jdbc:mysql:")) {
            return Database.MYSQL;
        } else if (jdbcUrl.startsWith("jdbc:mariadb:")) {
            return Database.MARIADB;
        } else if (jdbcUrl.startsWith("jdbc:h2:")) {
            return Database.H2;
        }
        return Database.OTHER;
    }

    /**
     * The properties for {@code config}'s database, then the configuration's own on top.
     *
     * <ul>
     *   <li>PostgreSQL: the driver switches a statement to a server-side prepared statement on its 5th use
     *       ({@code prepareThreshold}) and keeps 256 of them per connection ({@code preparedStatementCacheQueries},
     *       up to 5 MiB); {@code tcpKeepAlive} lets the kernel notice a dead peer; {@code socketTimeout} (seconds)
     *       bounds a read from a server that went silent; {@code ApplicationName} names the pool in
     *       {@code pg_stat_activity}.</li>
     *   <li>MySQL: server-side prepared statements, cached on the client (250 statements up to 2048 characters each),
     *       plus the session-state and metadata caches that avoid round trips ({@code useLocalSessionState},
     *       {@code cacheResultSetMetadata}, {@code cacheServerConfiguration}, {@code elideSetAutoCommits}),
     *       batched inserts rewritten into one statement, and {@code maintainTimeStats=false}, which saves a clock
     *       read per call; {@code socketTimeout} is in milliseconds.</li>
     *   <li>MariaDB: its driver's names for the same prepared-statement cache, and {@code socketTimeout} in ms.</li>
     *   <li>H2 and others: none.</li>
     * </ul>
     */
    public static Map<String, String> forConfig(DbPoolConfig config) {
        Map<String, String> properties = new LinkedHashMap<>();
        Duration socketTimeout = config.socketTimeout();
        switch (databaseOf(config.url())) {
            case POSTGRESQL -> {
                properties.put("prepareThreshold", "5");
                properties.put("preparedStatementCacheQueries", "256");
                properties.put("preparedStatementCacheSizeMiB", "5");
                properties.put("tcpKeepAlive", "true");
                properties.put("socketTimeout", Long.toString(ceilSeconds(socketTimeout)));
                properties.put("ApplicationName", config.name());
            }
            case MYSQL -> {
                properties.put("cachePrepStmts", "true");
                properties.put("prepStmtCacheSize", "250");
                properties.put("prepStmtCacheSqlLimit", "2048");
                properties.put("useServerPrepStmts", "true");
                properties.put("useLocalSessionState", "true");
                properties.put("rewriteBatchedStatements", "true");
                properties.put("cacheResultSetMetadata", "true");
                properties.put("cacheServerConfiguration", "true");
                properties.put("elideSetAutoCommits", "true");
                properties.put("maintainTimeStats", "false");
                properties.put("tcpKeepAlive", "true");
                properties.put("socketTimeout", Long.toString(socketTimeout.toMillis()));
            }
            case MARIADB -> {
                properties.put("cachePrepStmts", "true");
                properties.put("prepStmtCacheSize", "250");
                properties.put("useServerPrepStmts", "true");
                properties.put("tcpKeepAlive", "true");
                properties.put("socketTimeout", Long.toString(socketTimeout.toMillis()));
            }
            case H2, OTHER -> { }
        }
        properties.putAll(config.dataSourceProperties());
        return properties;
    }

    private static long ceilSeconds(Duration d) {
        long seconds = d.toSeconds();
        return d.equals(Duration.ofSeconds(seconds)) ? seconds : seconds + 1;
    }
}
