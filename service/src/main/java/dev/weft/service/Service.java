package dev.weft.service;

import dev.weft.http.ServeMux;

/**
 * What a service hands to the skeleton: its routes, built from the modules its configuration turned on.
 *
 * <p>{@link Weft#run} reads the configuration, creates the service from it (see {@link ServiceFactory}), binds the
 * server, and then, off the serving thread, opens the modules and calls {@link #start}. Until {@code start}
 * returns, the routes of {@link #routesWhileStarting} are served, every other path answers 503 with
 * {@code Retry-After}, and readiness fails, so that no load balancer sends work too early; after it returns, the
 * routes it added are served. {@link #stop} runs after the server has finished its requests, before the modules
 * close.
 */
public interface Service {
    /**
     * Opens what the service needs from {@code modules} and adds its routes to {@code mux}; may take as long as
     * opening takes (readiness waits for it). Throwing stops the process with status 1.
     */
    void start(Modules modules, ServeMux mux) throws Exception;

    /**
     * Routes that need no module, served from the moment the server binds (and after start-up too): a static
     * answer, a benchmark endpoint. None by default.
     */
    default void routesWhileStarting(ServeMux mux) {}

    /** Releases what {@link #start} opened that the modules do not own. Nothing by default. */
    default void stop() {}
}
