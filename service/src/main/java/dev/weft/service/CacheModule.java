package dev.weft.service;

import org.slf4j.LoggerFactory;

import dev.weft.cache.Caches;
import dev.weft.cache.CachesConfig;
import dev.weft.config.ConfigSection;
import dev.weft.http.ServeMux;

/** {@code cache:} opens the caches, on Redis or in process; readiness checks Redis in Redis mode. */
final class CacheModule implements StartableModule {
    private final CachesConfig config;
    private Caches caches;

    private CacheModule(CachesConfig config) {
        this.config = config;
    }

    static CacheModule read(ConfigSection section) {
        return new CacheModule(CachesConfig.from(section));
    }

    @Override
    public void open(Modules modules, ServeMux mux) {
        caches = Caches.open(config, modules.registry());
        if (config.mode() == CachesConfig.Mode.REDIS) {
            modules.health().addCheck("redis", Weft.CHECK_TIMEOUT, caches.healthCheck());
        }
        modules.put(Caches.class, caches);
        LoggerFactory.getLogger(CacheModule.class).info(
                "cache {}{}", config.mode().name().toLowerCase(java.util.Locale.ROOT),
                config.mode() == CachesConfig.Mode.REDIS ? " on " + String.join(",", config.redis().nodes()) : "");
    }

    @Override
    public void close() {
        if (caches != null) {
            caches.close();
        }
    }

    @Override
    public String toString() {
        return "the cache";
    }
}
