package dev.weft.shop;

import dev.weft.http.ServeMux;
import dev.weft.http.health.Health;

/**
 * A part of the shop: it adds its routes to the mux and, when it depends on a service, a readiness check.
 * {@link ShopServer} wires a list of them, so that a new feature is one more component, not a change to the
 * server's wiring.
 */
public interface ShopComponent {
    /** Adds this component's routes. */
    void register(ServeMux mux);

    /** Adds a check per service this component needs to serve; none by default. */
    default void addReadinessChecks(Health health) {}
}
