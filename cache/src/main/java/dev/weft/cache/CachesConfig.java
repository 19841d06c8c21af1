package dev.weft.cache;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import dev.weft.cache.redis.RedisConfig;
import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;

/**
 * The {@code cache} section of a service's configuration: where the caches keep their entries, how to reach Redis,
 * and each named cache's settings. {@link Caches#open} takes it.
 *
 * <pre>{@code
 * cache:
 *   mode: redis
 *   redis: {nodes: ["redis:6379"], keyPrefix: shop}
 *   caches:
 *     products: {ttl: 10m, nullTtl: 30s}
 * }</pre>
 *
 * @param mode   {@link Mode#LOCAL}, {@link Mode#REDIS} or {@link Mode#OFF}
 * @param redis  how to reach Redis; read always (so that its keys are known and settable), used and validated in
 *               {@link Mode#REDIS} only
 * @param caches each cache's settings by its name, in file order; a cache the service opens under a name not listed
 *               here gets {@link CacheConfig#defaults()}, and a name listed here that the service never opens is
 *               harmless
 */
public record CachesConfig(Mode mode, RedisConfig redis, Map<String, CacheConfig> caches) {

    /** What a cache name may be: part of every Redis key and of {@code SCAN} patterns, and a metrics tag. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    static final String NAME_RULE = "1 to 64 characters of A-Z a-z 0-9 _ . -";

    /** Where entries live. */
    public enum Mode {
        /** Caffeine in process only: for a service that runs as one JVM, or a machine without Redis. */
        LOCAL,
        /** Caffeine in front of Redis, with invalidations between nodes: for a service on several nodes. */
        REDIS,
        /**
         * No caching: every read calls the loader, through the same {@link Cache} interface and meters, so that a
         * service can measure itself without its cache by setting {@code WEFT_CACHE_MODE=off}.
         */
        OFF
    }

    public CachesConfig {
        caches = caches == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(caches));
    }

    /** Local mode, Redis' defaults, no named caches; the service README gives the reason for each. */
    public static CachesConfig defaults() {
        return new CachesConfig(Mode.LOCAL, RedisConfig.defaults(), Map.of());
    }

    /**
     * Reads the {@code cache} section: {@code mode}, the {@code redis} section (always, whatever the mode) and each
     * entry of {@code caches} with {@link CacheConfig#from}. An absent key keeps its default. Problems go to the
     * section's tree, validation included: the caches' own as they are read, the redis section's in Redis mode.
     */
    public static CachesConfig from(ConfigSection s) {
        // Spelt out rather than read by reflection (ConfigSection.read): this runs before a service binds.
        CachesConfig d = defaults();
        Mode mode = s.enumValue("mode", Mode.class, d.mode);
        RedisConfig redis = RedisConfig.from(s.section("redis"));
        Map<String, CacheConfig> caches = d.caches;
        ConfigSection named = s.section("caches");
        if (named.isPresent()) {
            caches = new LinkedHashMap<>();
            for (ConfigSection cache : named.children()) {
                caches.put(cache.name(), CacheConfig.from(cache));
            }
        }
        CachesConfig c = new CachesConfig(mode, redis, caches);
        c.validateNode(s.path(), s.problems());
        return c;
    }

    /**
     * Adds every problem with this configuration to {@code problems}, each under {@code path} ({@code cache}): the
     * mode, each cache's name and settings, and in Redis mode the {@code redis} section.
     */
    public void validate(String path, Problems problems) {
        validateNode(path, problems);
        caches.forEach((name, cache) -> {
            if (cache == null) {
                problems.add(cachePath(path, name), "must be set (CacheConfig.defaults() for the defaults)");
            } else {
                cache.validate(cachePath(path, name), problems);
            }
        });
    }

    /** Everything but the caches' own settings, which {@link #from} has validated as it read them. */
    private void validateNode(String path, Problems problems) {
        String p = path.isEmpty() ? "" : path + ".";
        problems.required(p + "mode", mode);
        for (String name : caches.keySet()) {
            problems.matches(cachePath(path, name), name, NAME, "a name of " + NAME_RULE);
        }
        if (mode == Mode.REDIS) {
            if (redis == null) {
                problems.add(p + "redis", "must be set in redis mode");
            } else {
                redis.validate(p + "redis", problems);
            }
        }
    }

    private static String cachePath(String path, String name) {
        return (path.isEmpty() ? "" : path + ".") + "caches." + name;
    }
}
