package dev.weft.shop.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

import dev.weft.cache.CacheConfig;
import dev.weft.cache.CacheLoadException;

class LocalProductCacheTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LocalProductCache cache = new LocalProductCache(CacheConfig.defaults("products-test"), registry);
    private final Product product = new Product(1, "One", 100, 5);

    @Test
    void aMissIsLoadedOnceAndThenServedFromMemory() {
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertSame(product, cache.get(1L, id -> {
                loads.incrementAndGet();
                return product;
            }));
        }
        assertEquals(1, loads.get());
        assertEquals(2, gets("hit"));
        assertEquals(1, gets("miss"));
    }

    @Test
    void aMissingProductIsCachedAsAbsent() {
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertNull(cache.get(2L, id -> {
                loads.incrementAndGet();
                return null;
            }));
        }
        assertEquals(1, loads.get());
        assertEquals(2, gets("null_hit"));
    }

    @Test
    void concurrentMissesOfOneKeyCallTheLoaderOnce() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                cache.get(3L, id -> {
                    loads.incrementAndGet();
                    Thread.sleep(100);
                    return product;
                });
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, loads.get());
    }

    @Test
    void anInvalidationDuringALoadKeepsTheLoadedValueOutOfTheCache() {
        Product stale = new Product(4, "stale", 100, 5);
        Product fresh = new Product(4, "fresh", 100, 4);
        assertSame(stale, cache.get(4L, id -> {
            cache.invalidate(4L); // a write committed while this load was reading the old row
            return stale;
        }));
        assertSame(fresh, cache.get(4L, id -> fresh));
    }

    @Test
    void invalidateDropsTheEntryAndALoaderFailureIsNotCached() {
        cache.get(5L, id -> product);
        cache.invalidate(5L);
        assertThrows(CacheLoadException.class, () -> cache.get(5L, id -> {
            throw new IllegalStateException("database down");
        }));
        assertSame(product, cache.get(5L, id -> product));
    }

    private double gets(String result) {
        return registry.get("cache.gets").tag("cache", "products-test").tag("level", "l1").tag("result", result)
                .counter().count();
    }
}
