package dev.weft.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;

import dev.weft.config.ConfigTree;

/** Servers on an ephemeral loopback port for the HTTP/2 tests. */
final class Servers {
    private Servers() {
    }

    /** A started server with {@code settings} (keys of the {@code server} section) over the defaults. */
    static Server start(Handler handler, Map<String, ?> settings, MeterRegistry registry) {
        Map<String, Object> all = new HashMap<>(Map.of("host", "127.0.0.1", "port", 0));
        all.putAll(settings);
        ServerConfig config = ConfigTree.of(all).read(ServerConfig::from);
        try {
            return new Server(config, handler, registry).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Server start(Handler handler) {
        return start(handler, Map.of(), null);
    }
}
