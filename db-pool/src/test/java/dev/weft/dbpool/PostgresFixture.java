package dev.weft.dbpool;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.weft.testkit.Eventually;
import dev.weft.testkit.Services;

/**
 * The test PostgreSQL seen from outside the pool under test: a plain connection for set-up, inspection of
 * {@code pg_stat_activity} and killing backends, and names with a random suffix so that runs and engineers sharing
 * the database do not collide.
 */
public final class PostgresFixture {
    private PostgresFixture() {}

    /** A name unique to this run: {@code prefix} plus a random suffix, lower case. */
    public static String uniqueName(String prefix) {
        return prefix + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    /**
     * A pool configuration for the test database with {@code settings} (keys of the {@code db} section) over it; the
     * pool's name is also its {@code ApplicationName}.
     */
    public static DbPoolConfig config(String poolName, Map<String, ?> settings) {
        return Configs.db(Configs.with(Configs.with(Services.postgres().settings(), Map.of("name", poolName)),
                settings));
    }

    public static Connection admin() throws SQLException {
        return Services.postgres().connect();
    }

    public static void execute(String sql) throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Process ids of the backends whose {@code application_name} is {@code poolName}. */
    public static List<Integer> backends(String poolName) throws SQLException {
        try (Connection c = admin(); PreparedStatement s = c.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE application_name = ? ORDER BY pid")) {
            s.setString(1, poolName);
            List<Integer> pids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
            return pids;
        }
    }

    /** Polls {@link #backends} until there are {@code count}, for at most 10 s; returns them. */
    public static List<Integer> awaitBackends(String poolName, int count) {
        return Eventually.until(Duration.ofSeconds(10), poolName + " has " + count + " backends",
                () -> backends(poolName), pids -> pids.size() == count);
    }

    /** Kills every backend of {@code poolName} with {@code pg_terminate_backend}; returns how many. */
    public static int terminate(String poolName) throws SQLException {
        try (Connection c = admin(); PreparedStatement s = c.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
            s.setString(1, poolName);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
