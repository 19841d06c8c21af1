package dev.weft.events;

import java.util.UUID;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.weft.testkit.Services;

/** Pools for the tests: a private in-memory H2 database, or the machine's PostgreSQL. */
public final class TestDatabases {
    private TestDatabases() {}

    public static HikariDataSource h2() {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl("jdbc:h2:mem:events_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        c.setMaximumPoolSize(8);
        c.setPoolName("async-events-h2");
        return new HikariDataSource(c);
    }

    public static HikariDataSource postgres() {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(Services.POSTGRES_URL);
        c.setUsername(Services.POSTGRES_USER);
        c.setMaximumPoolSize(8);
        c.setPoolName("async-events-pg");
        return new HikariDataSource(c);
    }

    /** A short random suffix for table, exchange and queue names. */
    public static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
