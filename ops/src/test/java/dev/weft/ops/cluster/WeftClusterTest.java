package dev.weft.ops.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.weft.testkit.Eventually;
import dev.weft.testkit.Services;

/**
 * {@code ops/bin/weft-cluster}: {@code up} starts the gateway, three shops and a six-node Redis Cluster on loopback
 * ports and returns with all of them ready; {@code status} shows each; requests through the gateway reach every
 * shop, and an order placed through it is processed by its three consumers over RabbitMQ; a shop killed with SIGKILL
 * while requests flow costs no GET and leaves no order unprocessed; {@code down} leaves no
 * process of the topology running and no port open. Bad command lines are refused with a sentence.
 *
 * <p>Needs the machine's PostgreSQL and RabbitMQ (skipped without them, failing under {@code CI=true}, as testkit's
 * {@link Services} says), {@code redis-server} and {@code redis-cli}, and the shop's and the gateway's jars, which
 * the reactor builds first ({@code ./weft mvn -pl ops -am verify}: ops depends on both modules). It runs on a
 * schema and an exchange of its own, so that a topology someone started by hand on this machine is not disturbed.
 * About a minute on this 2-core machine, most of it the four JVMs starting.
 */
class WeftClusterTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SCRIPT = ROOT.resolve("ops/bin/weft-cluster");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern PRODUCT_READS = Pattern.compile(
            "http_server_requests_seconds_count\\{method=\"GET\",(?:protocol=\"[^\"]*\",)?status=\"200\","
                    + "uri=\"GET /products/\\{id}\"} (\\d+)");

    @TempDir
    Path dir;

    @Test
    void upServesThroughTheGatewayAndDownLeavesNothingRunning() throws Exception {
        Services.requirePostgres();
        Services.requireRabbitMq();
        Services.program("redis-server", "apt-get install redis-server");
        Services.program("redis-cli", "apt-get install redis-tools");
        for (Path jar : List.of(ROOT.resolve("shop/target/shop.jar"), ROOT.resolve("gateway/target/gateway.jar"))) {
            assertTrue(Files.isRegularFile(jar), jar + " is built by the reactor before ops' tests");
        }
        int base = freeBlock();
        Path cluster = dir.resolve("cluster");
        Result up = run(Duration.ofMinutes(6), "up", "--dir", cluster.toString(), "--base-port",
                Integer.toString(base), "--memory", "512m");
        Map<String, Long> pids = new LinkedHashMap<>();
        try {
            assertEquals(0, up.status(), up.output());
            assertTrue(up.output().contains("up: http://127.0.0.1:" + base + "/"), up.output());
            try (Stream<Path> files = Files.list(cluster.resolve("pids"))) {
                for (Path f : files.toList()) {
                    pids.put(f.getFileName().toString().replace(".pid", ""), Long.parseLong(Files.readString(f).strip()));
                }
            }
            assertEquals(10, pids.size(), "six Redis nodes, three shops, a gateway: " + pids);

            Result status = run(Duration.ofSeconds(30), "status", "--dir", cluster.toString());
            assertEquals(0, status.status(), status.output());
            assertEquals(4, count(status.output(), "ready 200"), status.output());
            assertEquals(3, count(status.output(), "master, cluster_state:ok"), status.output());
            assertEquals(3, count(status.output(), "replica, cluster_state:ok"), status.output());

            // Reads through the gateway reach every shop (the balancer breaks ties in turn).
            String gateway = "http://127.0.0.1:" + base;
            for (int id = 1; id <= 30; id++) {
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(gateway + "/products/" + id)).GET());
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(r.body().startsWith("{\"id\":" + id + ","), r.body());
            }
            for (int shop = 1; shop <= 3; shop++) {
                String metrics = send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + (base + shop) + "/metrics")).GET()).body();
                Matcher m = PRODUCT_READS.matcher(metrics);
                assertTrue(m.find() && Long.parseLong(m.group(1)) > 0, "shop-" + shop + " served product reads");
            }

            // An order through the gateway: written by one shop, its event through the outbox and RabbitMQ to the
            // three consumers, which any of the shops may run.
            HttpResponse<String> order = send(HttpRequest.newBuilder(URI.create(gateway + "/orders"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"productId\":7,\"quantity\":1,\"userId\":42}")));
            assertEquals(201, order.statusCode(), order.body());
            String location = order.headers().firstValue("Location").orElseThrow();
            Eventually.until(Duration.ofSeconds(30), "every consumer processed the order",
                    () -> send(HttpRequest.newBuilder(URI.create(gateway + location)).GET()).body(),
                    described -> described.contains("\"complete\":true"));

            killAShopWhileRequestsFlow(gateway, pids.get("shop-2"));
        } finally {
            // A failed up stops what it started itself; then there is nothing for down to find.
            Result down = run(Duration.ofMinutes(3), "down", "--dir", cluster.toString());
            assertEquals(0, up.status(), up.output());
            assertEquals(0, down.status(), down.output());
            assertTrue(down.output().contains("down: nothing of the topology runs"), down.output());
        }
        for (Map.Entry<String, Long> p : pids.entrySet()) {
            assertFalse(ProcessHandle.of(p.getValue()).map(ProcessHandle::isAlive).orElse(false),
                    p.getKey() + " (pid " + p.getValue() + ") still runs after down");
        }
        for (int port : ports(base)) {
            assertFalse(listening(port), "port " + port + " still open after down");
        }
        Result status = run(Duration.ofSeconds(30), "status", "--dir", cluster.toString());
        assertEquals(1, status.status(), status.output());
        assertTrue(status.output().contains("no topology in " + cluster), status.output());
    }

    /**
     * Four clients read products and place orders through the gateway while shop-2 is killed with SIGKILL: no GET
     * fails (the gateway retries it on another instance and ejects the dead one), and every order answered 201 is
     * processed by its three consumers. A POST in flight on the killed shop may fail (it is never sent twice).
     */
    private static void killAShopWhileRequestsFlow(String gateway, long victim) throws Exception {
        AtomicInteger sent = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<String> failedGets = new CopyOnWriteArrayList<>();
        List<String> failedPosts = new CopyOnWriteArrayList<>();
        List<String> orders = new CopyOnWriteArrayList<>();
        List<Future<?>> clients = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 4; c++) {
                clients.add(executor.submit(() -> {
                    while (!stop.get()) {
                        int n = sent.incrementAndGet();
                        if (n % 5 == 0) {
                            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(gateway + "/orders"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"productId\":" + (1 + n % 100) + ",\"quantity\":1,\"userId\":" + n + "}")));
                            if (r.statusCode() == 201) {
                                orders.add(r.headers().firstValue("Location").orElseThrow());
                            } else {
                                failedPosts.add(r.statusCode() + " " + r.body());
                            }
                        } else {
                            HttpResponse<String> r = send(HttpRequest.newBuilder(
                                    URI.create(gateway + "/products/" + (1 + n % 1000))).GET());
                            if (r.statusCode() != 200) {
                                failedGets.add(r.statusCode() + " " + r.body());
                            }
                        }
                    }
                    return null;
                }));
            }
            Eventually.await(Duration.ofSeconds(60), "200 requests before the kill", () -> sent.get() >= 200);
            assertTrue(ProcessHandle.of(victim).orElseThrow().destroyForcibly(), "SIGKILL to shop-2");
            int atKill = sent.get();
            long killedAt = System.nanoTime();
            Eventually.await(Duration.ofSeconds(60), "400 requests and 3 s after the kill",
                    () -> sent.get() >= atKill + 400 && System.nanoTime() - killedAt > TimeUnit.SECONDS.toNanos(3));
            stop.set(true);
            for (Future<?> client : clients) {
                client.get(30, TimeUnit.SECONDS);
            }
        }
        assertEquals(List.of(), failedGets, "GETs that failed of " + sent.get() + " requests while shop-2 died");
        assertTrue(failedPosts.size() <= 4, "at most the POSTs in flight on shop-2 fail: " + failedPosts);
        for (String order : orders) {
            Eventually.await(Duration.ofSeconds(60), "order " + order + " processed by its three consumers",
                    () -> send(HttpRequest.newBuilder(URI.create(gateway + order)).GET()).body()
                            .contains("\"complete\":true"));
        }
    }

    @Test
    void badCommandLinesAreRefusedWithASentence() throws Exception {
        Result none = run(Duration.ofSeconds(10));
        assertEquals(2, none.status(), none.output());
        assertTrue(none.output().contains("weft-cluster: give a command: up, status, down or kill-run"), none.output());

        Result unknown = run(Duration.ofSeconds(10), "start");
        assertEquals(2, unknown.status(), unknown.output());
        assertTrue(unknown.output().contains(
                "weft-cluster: unknown command 'start': the commands are up, status, down and kill-run"), unknown.output());

        Result bad = run(Duration.ofSeconds(10), "up", "--rate", "5", "--base-port", "80", "--memory", "lots",
                "--dir", dir.toString());
        assertEquals(2, bad.status(), bad.output());
        assertTrue(bad.output().contains("weft-cluster: --rate is not an option of up"), bad.output());
        assertTrue(bad.output().contains("weft-cluster: --base-port must be a whole number from 1024 to 55500"),
                bad.output());
        assertTrue(bad.output().contains("weft-cluster: --memory must be a size such as 768m or 1g, was 'lots'"),
                bad.output());

        Result killRun = run(Duration.ofSeconds(10), "kill-run", "--kill-at", "50", "--down-for", "20",
                "--duration", "60", "--instance", "4", "--dir", dir.toString());
        assertEquals(2, killRun.status(), killRun.output());
        assertTrue(killRun.output().contains("--instance must be 1, 2 or 3, was '4'"), killRun.output());

        Result late = run(Duration.ofSeconds(10), "kill-run", "--kill-at", "50", "--down-for", "20",
                "--duration", "60", "--dir", dir.toString());
        assertEquals(2, late.status(), late.output());
        assertTrue(late.output().contains("--kill-at 50 plus --down-for 20 must end before --duration 60"),
                late.output());

        Result missing = run(Duration.ofSeconds(10), "status", "--dir", dir.resolve("nothing").toString());
        assertEquals(1, missing.status(), missing.output());
        assertTrue(missing.output().contains("no topology in " + dir.resolve("nothing")), missing.output());
        assertFalse(Files.exists(dir.resolve("nothing")), "status creates no folder");

        Result help = run(Duration.ofSeconds(10), "--help");
        assertEquals(0, help.status(), help.output());
        assertTrue(help.output().contains("ops/bin/weft-cluster up       [--dir DIR]"), help.output());
    }

    private record Result(int status, String output) {}

    private Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "weft-cluster-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // A schema and an exchange of the test's own (the variables go through to the shops' configuration).
        pb.environment().put("WEFT_DB_SCHEMA", "shop_cluster_test");
        pb.environment().put("WEFT_EVENTS_RABBITMQ_EXCHANGE", "weft-cluster-test.events");
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("weft-cluster " + String.join(" ", args) + " took over " + timeout + ":\n"
                    + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    /** Every port the topology uses from {@code base}: gateway, shops, Redis nodes and their cluster bus. */
    /** Whether something accepts a TCP connection on the loopback port, within a second. */
    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static List<Integer> ports(int base) {
        List<Integer> ports = new ArrayList<>(List.of(base, base + 1, base + 2, base + 3));
        for (int i = 10; i <= 15; i++) {
            ports.add(base + i);
            ports.add(base + i + 10000);
        }
        return ports;
    }

    /** A base port whose whole block is free now (another process may still take one before up binds it). */
    private static int freeBlock() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + 20 * ThreadLocalRandom.current().nextInt(1000);
            if (ports(base).stream().allMatch(WeftClusterTest::free)) {
                return base;
            }
        }
        throw new IOException("no free block of ports found between 20000 and 40000");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
