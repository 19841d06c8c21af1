package dev.weft.dbpool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.weft.config.ConfigTree;

/**
 * Pool configurations for tests, read through {@link DbPoolConfig#from} from a tree built in code, the way a
 * service's {@code db} section is read.
 */
public final class Configs {
    private Configs() {}

    /**
     * The {@code db} section {@code settings}, read and validated as a service reads it; a {@code ConfigException}
     * lists any problem, under {@code db.}.
     */
    public static DbPoolConfig db(Map<String, ?> settings) {
        return ConfigTree.of(Map.of("db", settings)).read("db", DbPoolConfig::from);
    }

    /** An in-memory H2 database of the test's own (a fresh name each call) with {@code settings} over it. */
    public static DbPoolConfig h2(Map<String, ?> settings) {
        String database = "dbpool_" + UUID.randomUUID().toString().replace("-", "");
        return db(with(Map.of("url", DbPoolConfig.embeddedH2Url(database), "name", database), settings));
    }

    /** {@code settings} over {@code base}. */
    static Map<String, Object> with(Map<String, ?> base, Map<String, ?> settings) {
        Map<String, Object> all = new LinkedHashMap<>(base);
        all.putAll(settings);
        return all;
    }
}
