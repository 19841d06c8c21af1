package dev.weft.shop;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.weft.http.ConfigException;
import dev.weft.http.ShutdownReport;

/**
 * Starts the shop: reads the configuration ({@link ShopConfig}), serves the components on {@link ShopServer}, and
 * on SIGTERM or SIGINT shuts down gracefully within {@code server.shutdownTimeout}, logging what it had to cut.
 * Exits with status 2 on a configuration problem, listing every one.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) throws Exception {
        ShopConfig config;
        try {
            config = ShopConfig.load(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("shop: " + e.getMessage());
            System.exit(2);
            return;
        }
        MetricsEndpoint metrics = new MetricsEndpoint();
        ObjectMapper mapper = new ObjectMapper();
        ShopServer shop = new ShopServer(config.server(), metrics.registry(),
                List.of(new HelloRoutes(mapper), metrics));
        shop.start();
        log.info("shop listening on {}", shop.address());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ShutdownReport report = shop.shutdown(config.server().shutdownTimeout());
            metrics.close();
            log.info("shop stopped: {}", report);
        }, "shop-shutdown"));
    }
}
