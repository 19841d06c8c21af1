package dev.weft.service;

import dev.weft.config.ConfigSection;

/**
 * A module outside the skeleton that a top-level section of the configuration turns on, found on the class path
 * through {@link java.util.ServiceLoader} ({@code META-INF/services/dev.weft.service.ModuleProvider}): a service
 * that has the module's jar and the module's section gets the module, with no code. The gateway module provides
 * one for {@code gateway:}; the database, the cache and the events are built in.
 */
public interface ModuleProvider {
    /** The top-level section that turns the module on, such as {@code gateway}. */
    String section();

    /**
     * Reads and validates the section (problems go to its tree) before the server binds; called only when the
     * section is present.
     */
    StartableModule read(ConfigSection section);
}
