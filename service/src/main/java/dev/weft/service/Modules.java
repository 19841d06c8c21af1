package dev.weft.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;

import dev.weft.cache.Caches;
import dev.weft.dbpool.DbPool;
import dev.weft.events.service.Events;
import dev.weft.http.health.Health;

/**
 * The modules the configuration turned on, opened, as a service's {@link Service#start} receives them; and the
 * registry and health probe they report to. Asking for a module whose section the configuration lacks is a
 * mistake in the service, and says which section to add.
 */
public final class Modules {
    private final String service;
    private final MetricsEndpoint metrics;
    private final Health health;
    private final Map<Class<?>, Object> opened = new ConcurrentHashMap<>();

    Modules(String service, MetricsEndpoint metrics, Health health) {
        this.service = service;
        this.metrics = metrics;
        this.health = health;
    }

    /** The registry that {@code /metrics} publishes; the server's and every module's meters are in it. */
    public MeterRegistry registry() {
        return metrics.registry();
    }

    /** The readiness probe: a service adds a check for each dependency of its own that modules do not cover. */
    public Health health() {
        return health;
    }

    /** The database pool, migrated ({@code db:}). */
    public DbPool db() {
        return get(DbPool.class, "db");
    }

    /** The caches ({@code cache:}). */
    public Caches caches() {
        return get(Caches.class, "cache");
    }

    /** The event transport, outbox and relay ({@code events:}). */
    public Events events() {
        return get(Events.class, "events");
    }

    /** True when the module of type {@code type} is open: for a service that works with or without it. */
    public boolean has(Class<?> type) {
        return opened.containsKey(type);
    }

    /** The module of type {@code type}, opened by a {@link ModuleProvider}'s module. */
    public <T> T get(Class<T> type) {
        return get(type, type.getSimpleName());
    }

    /** Makes an opened module available to the modules after it and to the service. */
    public <T> void put(Class<T> type, T module) {
        if (opened.putIfAbsent(type, module) != null) {
            throw new IllegalStateException(type.getName() + " is open already");
        }
    }

    private <T> T get(Class<T> type, String section) {
        Object module = opened.get(type);
        if (module == null) {
            throw new IllegalStateException(service + " uses " + type.getSimpleName() + " but its configuration has no "
                    + section + " section: add one (see the module README)");
        }
        return type.cast(module);
    }
}
