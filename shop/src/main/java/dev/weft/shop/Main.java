package dev.weft.shop;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.http.ConfigException;
import dev.weft.http.ShutdownReport;

/**
 * Starts the shop: reads the configuration ({@link ShopConfig}), serves the components on {@link ShopServer}, opens
 * the {@link Storefront}, and on SIGTERM or SIGINT shuts down gracefully within {@code server.shutdownTimeout},
 * logging what it had to cut, then closes the storefront. Exits with status 2 on a configuration problem, listing
 * every one, and with status 1 when the storefront cannot open.
 *
 * <p>Start-up time counts (orchestrators scale out by starting processes), and most of it is class loading and
 * initialisation in libraries: SLF4J's provider lookup, the Prometheus registry, Jackson. So those run on other
 * threads while this one reads the configuration, and what is not needed to answer the first request (the JVM
 * meters, Jackson's first serialisation, the storefront's database and services) finishes after the server is up;
 * until the storefront is open, its routes answer 503 and readiness fails.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        Executor beside = task -> Thread.ofVirtual().name("shop-startup").start(task);
        // SLF4J first, alone on this thread: loggers asked for on several threads while it initialises would be
        // queued and replayed with a warning. Micrometer logs through it, so the registry comes after it.
        CompletableFuture<MetricsEndpoint> metrics = CompletableFuture.supplyAsync(() -> {
            LoggerFactory.getILoggerFactory();
            return new MetricsEndpoint();
        }, beside);
        CompletableFuture.runAsync(HelloRoutes::warmUp, beside);
        ShopConfig config;
        try {
            config = ShopConfig.load(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("shop: " + e.getMessage());
            System.exit(2);
            return;
        }
        MetricsEndpoint endpoint = metrics.join();
        Storefront storefront = new Storefront(config.storefront(), endpoint.registry());
        ShopServer shop = new ShopServer(config.server(), endpoint.registry(),
                List.of(new HelloRoutes(), endpoint, storefront)).start();
        Logger log = LoggerFactory.getLogger(Main.class);
        log.info("shop listening on {}", shop.address());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ShutdownReport report = shop.shutdown(config.server().shutdownTimeout());
            storefront.close();
            endpoint.close();
            log.info("shop stopped: {}", report);
        }, "shop-shutdown"));
        endpoint.bindJvmMeters();
        try {
            storefront.open();
        } catch (Exception e) {
            log.error("the storefront cannot open: {}", e.toString(), e);
            System.exit(1);
        }
    }
}
