package dev.weft.cache;

import java.util.concurrent.atomic.AtomicInteger;

import dev.weft.cache.codec.KeyCodec;
import dev.weft.config.ConfigTree;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the read-path tests cache (a small product record as JSON), the loader that counts its calls, the
 * configuration they open their nodes with, and the look-up of their {@code cache.gets}.
 */
final class TestProducts {
    record Product(long id, String name, long priceCents) {}

    /** The product of a non-negative id, none for a negative one; counts its calls. */
    static final class CountingLoader implements Loader<Long, Product> {
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public Product load(Long id) {
            calls.incrementAndGet();
            return id < 0 ? null : new Product(id, "product " + id, 100 * id);
        }

        int calls() {
            return calls.get();
        }

        void reset() {
            calls.set(0);
        }
    }

    private TestProducts() {}

    /** The {@code cache} section written in {@code yaml}, read as a service reads its file. */
    static CachesConfig config(String yaml) {
        return ConfigTree.parse("cache.yaml", yaml).read(CachesConfig::from);
    }

    /** The cache of products called {@code name} on {@code node}, with the settings its configuration gives it. */
    static Cache<Long, Product> products(Caches node, String name) {
        return node.cache(name, KeyCodec.longs(), Product.class);
    }

    static double gets(MeterRegistry registry, String cache, String level, String result) {
        return registry.get("cache.gets").tags("cache", cache, "level", level, "result", result).functionCounter()
                .count();
    }
}
