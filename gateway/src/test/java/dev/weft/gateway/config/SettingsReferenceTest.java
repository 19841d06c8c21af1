package dev.weft.gateway.config;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.weft.testkit.SettingsReference;

/**
 * The service README's "Turn a module on" page lists every setting of the {@code gateway} section, with the default
 * the code has, and nothing else (the service module's test checks the other sections; it cannot see the gateway's
 * records). Read with one route, one upstream named {@code <name>} and every optional section given.
 */
class SettingsReferenceTest {
    @Test
    void gateway() {
        SettingsReference.assertDocuments(Path.of("../service/README.md"), "gateway", """
                gateway:
                  routes: [{}]
                  upstreams: {"<name>": {dns: {}, healthCheck: {}}}
                  auth: {apiKeys: {"<name>": key}, jwt: {}}
                  rateLimit: {redis: {}}
                """, GatewayConfig::from);
    }
}
