package dev.weft.gateway;

import dev.weft.config.ConfigSection;
import dev.weft.service.ModuleProvider;
import dev.weft.service.StartableModule;

/**
 * Turns the gateway on in any service on the Weft skeleton that has this module on its class path and a
 * {@code gateway:} section in its configuration: found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.weft.service.ModuleProvider}.
 */
public final class GatewayModuleProvider implements ModuleProvider {
    @Override
    public String section() {
        return "gateway";
    }

    @Override
    public StartableModule read(ConfigSection section) {
        return GatewayModule.read(section);
    }
}
