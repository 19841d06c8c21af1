package dev.weft.cache;

import dev.weft.cache.codec.KeyCodec;
import io.micrometer.core.instrument.MeterRegistry;

/** What the read-path tests cache (a small product record as JSON), and the look-up of their {@code cache.gets}. */
final class TestProducts {
    record Product(long id, String name, long priceCents) {}

    private TestProducts() {}

    static CacheConfig.Builder named(String name) {
        return CacheConfig.defaults(name).toBuilder();
    }

    static Cache<Long, Product> products(Caches on, CacheConfig.Builder config) {
        return on.cache(config.build(), KeyCodec.longs(), Product.class);
    }

    static double gets(MeterRegistry registry, String cache, String level, String result) {
        return registry.get("cache.gets").tags("cache", cache, "level", level, "result", result).counter().count();
    }
}
