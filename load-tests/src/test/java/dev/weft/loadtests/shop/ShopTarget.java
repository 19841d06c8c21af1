package dev.weft.loadtests.shop;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.weft.loadtests.Load;

/**
 * The service under load: the one at {@code -Dbase.url}, or, when that is not set, a shop this class starts itself
 * from {@code -Dshop.jar} in a JVM of its own (so that the load generator and the server do not share a heap), on a
 * free port, with {@code -Dshop.config} and {@code -Dshop.jvmArgs} when given. A started shop is stopped with
 * SIGTERM when the simulation ends, so the run also exercises graceful shutdown.
 */
final class ShopTarget {
    private static Process shop;
    private static String baseUrl;

    private ShopTarget() {}

    /** The base URL, starting the shop on first use if no {@code baseUrl} was given. */
    static synchronized String baseUrl() {
        if (baseUrl == null) {
            baseUrl = System.getProperty(Load.BASE_URL, "").isBlank() ? startShop() : Load.baseUrl();
        }
        return baseUrl;
    }

    /** Stops the shop this class started, if any, and waits for it to exit. */
    static synchronized void stop() {
        if (shop == null) {
            return;
        }
        shop.destroy();
        try {
            if (!shop.waitFor(40, TimeUnit.SECONDS)) {
                shop.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shop = null;
    }

    private static String startShop() {
        Path jar = Path.of(System.getProperty("shop.jar", "../shop/target/shop.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no shop jar at " + jar.toAbsolutePath()
                    + ": build it first (./weft mvn -pl shop -am package -DskipTests) or pass -D" + Load.BASE_URL + "=...");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : System.getProperty("shop.jvmArgs", "-Xmx512m").trim().split("\\s+")) {
            if (!arg.isEmpty()) {
                command.add(arg);
            }
        }
        command.add("-jar");
        command.add(jar.toString());
        String config = System.getProperty("shop.config", "");
        if (!config.isBlank()) {
            command.add("--config");
            command.add(config);
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PORT", Integer.toString(port));
        File log = new File(System.getProperty("shop.log", "target/shop.log"));
        log.getAbsoluteFile().getParentFile().mkdirs();
        builder.redirectOutput(log);
        try {
            shop = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + command + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(ShopTarget::stop));
        String url = "http://127.0.0.1:" + port;
        awaitReady(url, log);
        return url;
    }

    private static void awaitReady(String url, File log) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!shop.isAlive()) {
                throw new IllegalStateException("the shop exited with " + shop.exitValue() + "; see " + log);
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep(100); // between readiness polls, within the 60 s deadline (no testkit on Gatling's class path)
        }
        stop();
        throw new IllegalStateException("the shop did not become ready within 60 s; see " + log);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
