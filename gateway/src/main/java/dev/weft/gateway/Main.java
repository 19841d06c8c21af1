package dev.weft.gateway;

import dev.weft.config.ConfigTree;
import dev.weft.service.Service;
import dev.weft.service.Weft;

/**
 * The standalone gateway: {@code java -jar gateway.jar --config gateway.yaml} (or {@code $WEFT_CONFIG}).
 *
 * <p>A service on the Weft skeleton with no routes of its own: its {@code gateway:} section turns on the
 * {@link GatewayModule}, which mounts the routes. The skeleton does the rest as for any service: every problem of
 * the file at once and exit status 2 before binding, {@code /health/live}, {@code /health/ready} (with the
 * gateway's checks), {@code /metrics} in Prometheus' format, {@code WEFT_*} and {@code -Dweft.*} overrides,
 * {@code PORT}, and a graceful stop on SIGTERM.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Weft.run("gateway", args, Main::standalone);
    }

    /** The standalone service: nothing but the gateway's routes, so without a {@code gateway:} section it is a mistake. */
    static Service standalone(ConfigTree config) {
        if (!config.section("gateway").isPresent()) {
            config.problems().add("gateway", "must be set: the routes and the upstreams they go to"
                    + " (gateway/gateway.example.yaml is an example)");
        }
        return (modules, mux) -> {};
    }
}
