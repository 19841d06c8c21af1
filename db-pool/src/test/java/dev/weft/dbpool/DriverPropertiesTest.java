package dev.weft.dbpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DriverPropertiesTest {

    private static Map<String, String> propertiesFor(String url) {
        return DriverProperties.forConfig(Configs.db(Map.of("url", url, "name", "orders", "maximumPoolSize", 4,
                "socketTimeout", Duration.ofMillis(2500))));
    }

    @Test
    void postgresGetsTheStatementCacheKeepaliveAndSocketTimeoutInSeconds() {
        Map<String, String> p = propertiesFor("jdbc:postgresql://127.0.0.1:5432/test");
        assertEquals("256", p.get("preparedStatementCacheQueries"));
        assertEquals("5", p.get("prepareThreshold"));
        assertEquals("true", p.get("tcpKeepAlive"));
        assertEquals("3", p.get("socketTimeout"), "2.5 s rounds up to whole seconds");
        assertEquals("orders", p.get("ApplicationName"));
    }

    @Test
    void mysqlGetsHikariRecommendedCachesAndSocketTimeoutInMillis() {
        Map<String, String> p = propertiesFor("jdbc:mysql://db:3306/app");
        assertEquals("true", p.get("cachePrepStmts"));
        assertEquals("250", p.get("prepStmtCacheSize"));
        assertEquals("2048", p.get("prepStmtCacheSqlLimit"));
        assertEquals("true", p.get("useServerPrepStmts"));
        assertEquals("true", p.get("rewriteBatchedStatements"));
        assertEquals("2500", p.get("socketTimeout"));
    }

    @Test
    void mariadbGetsItsOwnNames() {
        Map<String, String> p = propertiesFor("jdbc:mariadb://db:3306/app");
        assertEquals("true", p.get("cachePrepStmts"));
        assertEquals("2500", p.get("socketTimeout"));
        assertTrue(!p.containsKey("elideSetAutoCommits"), "a MySQL Connector/J name");
    }

    @Test
    void h2GetsNoneAndConfiguredPropertiesWin() {
        assertTrue(propertiesFor("jdbc:h2:mem:x").isEmpty());
        Map<String, String> p = DriverProperties.forConfig(Configs.db(Map.of("url", "jdbc:postgresql://db/app",
                "maximumPoolSize", 2, "dataSourceProperties", Map.of("prepareThreshold", "0", "sslmode", "require"))));
        assertEquals("0", p.get("prepareThreshold"));
        assertEquals("require", p.get("sslmode"));
    }
}
