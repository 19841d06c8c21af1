package dev.weft.service;

import java.util.List;

import org.slf4j.LoggerFactory;

import dev.weft.config.ConfigSection;
import dev.weft.dbpool.DbPool;
import dev.weft.dbpool.DbPoolConfig;
import dev.weft.dbpool.migrate.AppliedMigration;
import dev.weft.http.ServeMux;

/**
 * {@code db:} opens the pool and applies the service's migrations ({@code db.migrations}, Flyway); readiness runs
 * the pool's check query. Opened first: the other modules may keep their state in the database.
 */
final class DbModule implements StartableModule {
    private final DbPoolConfig config;
    private DbPool pool;

    private DbModule(DbPoolConfig config) {
        this.config = config;
    }

    static DbModule read(ConfigSection section) {
        return new DbModule(DbPoolConfig.from(section));
    }

    @Override
    public void open(Modules modules, ServeMux mux) {
        long begin = System.nanoTime();
        pool = DbPool.open(config, modules.registry());
        List<AppliedMigration> applied = pool.migrate();
        modules.health().addCheck("database", Weft.CHECK_TIMEOUT, pool.readinessCheck());
        modules.put(DbPool.class, pool);
        LoggerFactory.getLogger(DbModule.class).info(
                "database {}: {}; {} migration(s) applied in {} ms", config.url(), pool.sizing().reasoning(),
                applied.size(), (System.nanoTime() - begin) / 1_000_000);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }

    @Override
    public String toString() {
        return "the database pool";
    }
}
