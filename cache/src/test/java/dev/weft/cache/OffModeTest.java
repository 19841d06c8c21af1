package dev.weft.cache;

import static dev.weft.cache.TestProducts.config;
import static dev.weft.cache.TestProducts.gets;
import static dev.weft.cache.TestProducts.products;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.weft.cache.TestProducts.CountingLoader;
import dev.weft.cache.TestProducts.Product;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Off mode: the same {@link Cache} and meters, and every read goes to the loader (unit tests; no server). */
class OffModeTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Caches node = Caches.open(config("mode: off\ncaches: {products: {ttl: 10m}}"), registry);
    private final CountingLoader loads = new CountingLoader();

    @AfterEach
    void closeNode() {
        node.close();
    }

    private double loadCount(String cache, String result) {
        return registry.get("cache.loads").tags("cache", cache, "result", result).timer().count();
    }

    @Test
    void everyReadCallsTheLoaderAndIsCounted() {
        Cache<Long, Product> cache = products(node, "products");
        for (int i = 0; i < 5; i++) {
            assertEquals(new Product(1, "product 1", 100), cache.get(1L, loads));
        }
        for (int i = 0; i < 3; i++) {
            assertNull(cache.get(-1L, loads));
        }
        assertEquals(8, loads.calls(), "nothing is kept, not even a null marker");
        assertEquals(5, loadCount("products", "success"));
        assertEquals(3, loadCount("products", "null"));
        assertEquals(0, gets(registry, "products", "l1", "hit") + gets(registry, "products", "l1", "miss")
                + gets(registry, "products", "l2", "miss"), "no level is consulted, but the meters exist");
    }

    @Test
    void writesStoreNothing() {
        Cache<Long, Product> cache = products(node, "writes");
        cache.put(1L, new Product(1, "written", 1));
        assertEquals("product 1", cache.get(1L, loads).name(), "a put is not read back");
        cache.invalidate(1L);
        cache.invalidateAll();
        assertEquals(1, loads.calls());
        assertThrows(NullPointerException.class, () -> cache.put(2L, null));
    }

    @Test
    void getAllCallsTheBulkLoaderWithEveryKeyEachTime() {
        Cache<Long, Product> cache = products(node, "bulk");
        List<Set<Long>> asked = new ArrayList<>();
        BulkLoader<Long, Product> bulk = ids -> {
            asked.add(ids);
            Map<Long, Product> found = new HashMap<>();
            ids.stream().filter(id -> id > 0).forEach(id -> found.put(id, loads.load(id)));
            return found;
        };
        Map<Long, Product> first = cache.getAll(List.of(2L, 1L, -3L), bulk);
        assertEquals(List.of(2L, 1L), List.copyOf(first.keySet()), "in the order asked, absent keys left out");
        assertEquals(first, cache.getAll(List.of(2L, 1L, -3L), bulk));
        assertEquals(List.of(Set.of(1L, 2L, -3L), Set.of(1L, 2L, -3L)), asked);
        assertEquals(2, loadCount("bulk", "success"));
    }

    @Test
    void aFailingLoaderSurfacesAsCacheLoadExceptionAndIsCounted() {
        Cache<Long, Product> cache = products(node, "failure");
        CacheLoadException e = assertThrows(CacheLoadException.class, () -> cache.get(5L, id -> {
            throw new IllegalStateException("database down");
        }));
        assertTrue(e.getCause() instanceof IllegalStateException);
        assertThrows(CacheLoadException.class, () -> cache.getAll(List.of(5L), ids -> {
            throw new IllegalStateException("database down");
        }));
        assertEquals(2, loadCount("failure", "failure"));
    }

    @Test
    void anOffNodeHasNoRedisMetersAndItsHealthCheckPasses() throws Exception {
        products(node, "plain");
        for (Meter m : registry.getMeters()) {
            String name = m.getId().getName();
            assertFalse(name.startsWith("cache.redis") || name.startsWith("cache.invalidations"),
                    "unexpected meter " + m.getId());
        }
        assertFalse(node.receivingInvalidations());
        node.healthCheck().check();
        assertThrows(IllegalStateException.class, node::breakerState);
        assertThrows(IllegalArgumentException.class, () -> products(node, "plain"));
    }
}
