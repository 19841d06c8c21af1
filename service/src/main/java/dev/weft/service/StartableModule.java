package dev.weft.service;

import dev.weft.http.ServeMux;

/**
 * A module read from its configuration section and not yet open: the skeleton opens it after the server binds,
 * in the order the sections are listed in {@link Weft}, and closes it in the reverse order at shutdown, after the
 * service has stopped.
 */
public interface StartableModule extends AutoCloseable {
    /**
     * Opens connections, adds readiness checks ({@code modules.health()}), meters ({@code modules.registry()}) and
     * routes; {@code modules} already holds every module opened before this one.
     */
    void open(Modules modules, ServeMux mux) throws Exception;

    /** Releases what {@link #open} opened; called once, also when opening failed half-way. */
    @Override
    default void close() throws Exception {}
}
