package dev.weft.service;

import dev.weft.config.ConfigTree;

/**
 * Creates a service from the configuration, before anything starts: the service reads its own sections here
 * ({@code ShopConfig.from(config.section("shop"))}), so that a problem in them stops the process before it binds,
 * listed with every other problem. A service without settings of its own ignores the tree: {@code config -> new
 * Notes()}.
 */
@FunctionalInterface
public interface ServiceFactory {
    Service create(ConfigTree config);
}
