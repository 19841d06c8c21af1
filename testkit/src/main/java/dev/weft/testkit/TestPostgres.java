package dev.weft.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The PostgreSQL the integration tests use: {@code WEFT_TEST_PG_HOST} (default 127.0.0.1), {@code _PORT} (5432),
 * {@code _DATABASE} (test), {@code _USER} (postgres) and {@code _PASSWORD} (none: the machine's server trusts local
 * connections).
 *
 * @param host     the server's host
 * @param port     its port
 * @param database the database the tests create their schemas in
 * @param user     the role they log in as
 * @param password its password, empty for none
 */
public record TestPostgres(String host, int port, String database, String user, String password) {
    static final String PREFIX = "WEFT_TEST_PG_";

    static TestPostgres from(Map<String, String> variables) {
        Env env = new Env(variables);
        return new TestPostgres(env.get(PREFIX + "HOST", "127.0.0.1"), env.port(PREFIX + "PORT", 5432),
                env.get(PREFIX + "DATABASE", "test"), env.get(PREFIX + "USER", "postgres"),
                env.raw(PREFIX + "PASSWORD", ""));
    }

    /** The JDBC URL: {@code jdbc:postgresql://host:port/database}. */
    public String url() {
        return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
    }

    /** The settings of a {@code db} section that reach this database: url, username and password. */
    public Map<String, Object> settings() {
        return Map.of("url", url(), "username", user, "password", password);
    }

    /** A new connection as {@link #user()}. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user, password);
    }

    /**
     * Null when a client can log in and run {@code SELECT 1} within about {@code timeout}; else why not. Connecting,
     * logging in and each read are each bounded by it (the driver counts whole seconds, rounded up).
     */
    String problem(Duration timeout) {
        String unreachable = Services.unreachable(host, port, timeout);
        if (unreachable != null) {
            return "PostgreSQL is not reachable on " + host + ":" + port + " (" + unreachable + ")";
        }
        String seconds = Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", seconds);
        p.setProperty("loginTimeout", seconds);
        p.setProperty("socketTimeout", seconds);
        p.setProperty("ApplicationName", "weft-testkit check");
        try (Connection c = DriverManager.getConnection(url(), p);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT 1")) {
            return r.next() && r.getInt(1) == 1 ? null : "PostgreSQL on " + host + ":" + port + " answered SELECT 1 "
                    + "with something else";
        } catch (SQLException | RuntimeException e) {
            return "PostgreSQL on " + host + ":" + port + " accepts connections but not this client (database "
                    + database + ", user " + user + (password.isEmpty() ? ", no password" : ", a password") + "): "
                    + Services.describe(e);
        }
    }
}
