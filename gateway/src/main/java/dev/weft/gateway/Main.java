package dev.weft.gateway;

import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.gateway.config.GatewayConfig;
import dev.weft.gateway.config.UpstreamConfig;
import dev.weft.http.ConfigException;
import dev.weft.http.Server;
import dev.weft.http.ServerConfig;
import dev.weft.http.ServeMux;
import dev.weft.http.config.ConfigFile;
import dev.weft.http.config.ServerConfigs;
import dev.weft.http.health.Health;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The standalone gateway: {@code java -cp <classpath> dev.weft.gateway.Main gateway.yaml}.
 *
 * <p>The file (YAML subset or JSON, read by server-core's {@code ConfigFile}) has a {@code server} section, the
 * Weft server's settings (host, port, timeouts, limits; {@code WEFT_SERVER_*} environment variables override
 * them), and a {@code gateway} section as {@link GatewayConfig} describes ({@code WEFT_GATEWAY_*} variables
 * override its settings). Every problem in either is reported at once and the gateway does not start. It also
 * serves {@code GET /health/live} and {@code /health/ready}, and stops gracefully on SIGTERM or Ctrl-C.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: dev.weft.gateway.Main <gateway.yaml | gateway.json>");
            System.exit(2);
        }
        Server server;
        Gateway gateway;
        ServerConfig serverConfig;
        try {
            ConfigFile file = ConfigFile.load(Path.of(args[0]));
            file.root().rejectUnknownKeys(List.of("server", "gateway"));
            serverConfig = ServerConfigs.apply(file.section("server"),
                    ServerConfig.defaults().toBuilder()).build();
            file.addProblems(serverConfig.validate());
            GatewayConfig config = GatewayConfig.from(file.section("gateway"));
            file.throwIfProblems();
            useDnsTtlOf(config);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            gateway = new Gateway(config, registry);
            ServeMux mux = new ServeMux();
            Health health = new Health();
            health.register(mux);
            gateway.register(mux);
            server = new Server(serverConfig, mux, registry);
            server.registerOnShutdown(health::markNotReady);
        } catch (ConfigException e) {
            System.err.println("gateway: cannot start, the configuration has " + e.problems().size()
                    + " problem(s):");
            e.problems().forEach(p -> System.err.println("  " + p));
            System.exit(1);
            return;
        }
        Server s = server;
        Gateway g = gateway;
        Duration grace = serverConfig.shutdownTimeout();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("{}", s.shutdown(grace));
            g.close();
        }, "gateway-shutdown"));
        server.listenAndServe();
    }

    /**
     * The JVM caches DNS answers for 30 s by default; a DNS-discovered group must see new instances at its own
     * refresh interval, so the cache lives no longer than the shortest one.
     */
    private static void useDnsTtlOf(GatewayConfig config) {
        config.upstreams().values().stream().map(UpstreamConfig::dns).filter(d -> d != null)
                .mapToLong(d -> Math.max(1, d.refresh().toSeconds())).min()
                .ifPresent(ttl -> Security.setProperty("networkaddress.cache.ttl", Long.toString(ttl)));
    }
}
