package dev.weft.gateway;

import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.config.ConfigException;
import dev.weft.config.ConfigTree;
import dev.weft.gateway.config.DnsConfig;
import dev.weft.gateway.config.GatewayConfig;
import dev.weft.gateway.config.UpstreamConfig;
import dev.weft.http.RequestId;
import dev.weft.http.Server;
import dev.weft.http.ServerConfig;
import dev.weft.http.ServeMux;
import dev.weft.http.health.Health;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The standalone gateway: {@code java -cp <classpath> dev.weft.gateway.Main gateway.yaml}.
 *
 * <p>The file (YAML or JSON) has a {@code server} section, the Weft server's settings ({@code ServerConfig}), and a
 * {@code gateway} section ({@link GatewayConfig}); {@code WEFT_*} environment variables and {@code -Dweft.*}
 * system properties override any setting. Every problem in either section, unknown settings included, is printed
 * at once and the gateway exits with status 2 before it binds. Otherwise it also serves {@code GET /health/live}
 * and {@code /health/ready}, and stops gracefully on SIGTERM or Ctrl-C (readiness turns 503 first). Every request
 * gets its id first ({@link RequestId}): the client's {@code X-Request-Id} or a new one, in the gateway's log
 * lines, in the response, and sent upstream.
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
        Duration grace;
        try {
            ConfigTree tree = ConfigTree.read(Path.of(args[0])).withProcessOverrides();
            ServerConfig serverConfig = ServerConfig.from(tree.section("server"));
            GatewayConfig config = GatewayConfig.from(tree.section("gateway"));
            tree.throwIfProblems();
            useDnsTtlOf(config);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            gateway = new Gateway(config, registry);
            ServeMux mux = new ServeMux();
            Health health = new Health();
            health.register(mux);
            gateway.register(mux);
            server = new Server(serverConfig, RequestId.middleware().wrap(mux), registry);
            server.registerOnShutdown(health::markNotReady);
            grace = serverConfig.shutdownTimeout();
        } catch (ConfigException e) {
            System.err.println("gateway: cannot start, the configuration has " + e.problems().size()
                    + (e.problems().size() == 1 ? " problem:" : " problems:"));
            e.problems().forEach(p -> System.err.println("  " + p));
            System.exit(2);
            return;
        }
        Server s = server;
        Gateway g = gateway;
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
                .map(DnsConfig::refresh).mapToLong(r -> Math.max(1, r.toSeconds())).min()
                .ifPresent(ttl -> Security.setProperty("networkaddress.cache.ttl", Long.toString(ttl)));
    }
}
