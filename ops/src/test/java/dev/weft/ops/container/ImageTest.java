package dev.weft.ops.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.weft.testkit.Eventually;

/**
 * The shop's and the gateway's container images, built by {@code ops/container/build-image} (what {@code -Pimage}
 * runs) and run with podman: two shop containers and a gateway in front of them that finds them by their DNS name
 * on a network of their own, as in Kubernetes, each with {@code --memory 512m --cpus 1}. Each container's
 * weft-launch sizes the JVM from that real cgroup, the JVM sees the same limits and starts from the AOT cache
 * trained in the build, the gateway forwards to the shops, and a shop stopped while requests flow costs no request.
 *
 * <p>Needs root and podman, and for the first base image debootstrap and a Debian mirror. Without podman, or where
 * podman cannot run containers (no runtime, a nested container without privileges), it skips with the reason, also
 * under {@code CI=true}: running containers is a property of the machine, not something a build can install. Where
 * podman runs containers, a failure is a failure. {@code .ci/run} installs podman.
 */
class ImageTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path BUILD_IMAGE = ROOT.resolve("ops/container/build-image");
    private static final Path PODMAN = ROOT.resolve("ops/container/podman-here");
    private static final Path LOGS = Path.of("target", "image-test").toAbsolutePath();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    /** build-image's status when podman cannot build or run containers here. */
    private static final int CANNOT_RUN_HERE = 3;

    private final String tag = "test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final List<String> containers = new ArrayList<>();
    private final List<String> images = new ArrayList<>();
    private String network;

    @AfterEach
    void removeWhatWasMade() throws Exception {
        for (String c : containers) {
            podman("rm", "--force", "--time", "0", c);
        }
        if (network != null) {
            podman("network", "rm", "--force", network);
        }
        for (String i : images) {
            podman("rmi", "--force", i);
        }
    }

    @Test
    void theShopAndTheGatewayRunInContainersSizedFromTheirLimits() throws Exception {
        Files.createDirectories(LOGS);
        Result check = run(LOGS.resolve("check.log"), BUILD_IMAGE.toString(), "--check");
        skipUnless(check);
        String shopImage = build("shop", ROOT.resolve("shop/target/shop.jar"), ROOT.resolve("shop/src/image"));
        String gatewayImage = build("gateway", ROOT.resolve("gateway/target/gateway.jar"),
                ROOT.resolve("gateway/src/image"));

        network = "weft-test-" + tag;
        expectSuccess(podman("network", "create", network), "network create");
        // Two shops answering to the name "shop", as a headless Service's pods answer to its name.
        String shop1 = start("weft-shop-1-" + tag, shopImage, "--network-alias", "shop");
        String shop2 = start("weft-shop-2-" + tag, shopImage, "--network-alias", "shop");
        Path config = Files.writeString(LOGS.resolve("gateway-" + tag + ".yaml"), """
                gateway:
                  routes:
                    - {pattern: /, upstream: shop}
                  upstreams:
                    shop:
                      dns: {name: shop, port: 8080, refresh: 1s}
                      healthCheck: {interval: 500ms, timeout: 1s}
                """);
        String gateway = start("weft-gateway-" + tag, gatewayImage, "--publish", "127.0.0.1::8080",
                "--volume", config + ":/etc/weft/gateway.yaml:ro", "--env", "WEFT_CONFIG=/etc/weft/gateway.yaml");
        for (String shop : List.of(shop1, shop2)) {
            awaitLog(shop, Pattern.compile("shop started in \\d+ ms"));
        }
        String base = "http://" + published(gateway);
        HttpResponse<String> ready = await(base + "/health/ready", r -> r.statusCode() == 200);
        assertTrue(ready.body().contains("\"upstream shop\":{\"status\":\"UP\""), ready.body());

        for (String c : List.of(shop1, shop2, gateway)) {
            assertSizedFromTheContainersLimits(c);
        }
        assertTrue(logs(gateway).contains("gateway: 1 route to shop (dns shop:8080, 2 instances)"), logs(gateway));

        HttpResponse<String> product = get(base + "/products/1");
        assertEquals(200, product.statusCode(), product.body());
        assertTrue(product.body().startsWith("{\"id\":1,"), product.body());

        // A shop stopped (SIGTERM, as Kubernetes stops a pod) while GETs flow through the gateway: the gateway
        // retries on the other, ejects the stopped one and drops it when DNS does; no GET fails.
        CompletableFuture<Result> stop = CompletableFuture.supplyAsync(() -> podman("stop", "--time", "30", shop1));
        int sent = 0;
        List<String> failed = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until || !stop.isDone()) {
            HttpResponse<String> r = get(base + "/products/2");
            sent++;
            if (r.statusCode() != 200) {
                failed.add(r.statusCode() + " " + r.body());
            }
        }
        expectSuccess(stop.get(60, TimeUnit.SECONDS), "podman stop");
        assertEquals(List.of(), failed, "GETs that failed of " + sent + " sent while a shop stopped");
        assertTrue(logs(shop1).contains("shop stopped: shutdown in"), "the shop stopped gracefully: " + logs(shop1));
    }

    /**
     * The launcher's line names the container's own limits (512 MiB, 1 CPU), the JVM was started from the AOT
     * cache and used it (its full module graph, not refused for mismatched options), and the JVM sees what the
     * launcher saw: its heap and the container's limits.
     */
    private void assertSizedFromTheContainersLimits(String container) throws Exception {
        String log = logs(container);
        Matcher line = Pattern.compile(
                "weft-launch: profile g1 \\(G1\\), heap (\\d+) MiB of 512 MiB, 1 CPUs, one virtual-thread carrier per CPU;")
                .matcher(log);
        assertTrue(line.find(), container + ": the launcher sizes from the container's cgroup:\n" + log);
        long heapMiB = Long.parseLong(line.group(1));
        assertTrue(log.contains("weft-launch: starting from the AOT cache /opt/weft/service-g1.aot"), log);
        assertTrue(log.contains("full module graph: enabled") && !log.contains("Mismatched"),
                container + ": the JVM used the AOT cache:\n" + log);

        String flags = expectSuccess(podman("exec", "--user", "10001", container, "jcmd", "1", "VM.flags"),
                "jcmd VM.flags").out();
        Matcher max = Pattern.compile("-XX:MaxHeapSize=(\\d+)").matcher(flags);
        assertTrue(max.find(), flags);
        long jvmHeapMiB = Long.parseLong(max.group(1)) >> 20;
        assertTrue(jvmHeapMiB >= heapMiB && jvmHeapMiB <= heapMiB + 2,
                "the JVM's heap " + jvmHeapMiB + " MiB, the launcher's " + heapMiB + " MiB (rounded to G1 regions)");
        String info = expectSuccess(podman("exec", "--user", "10001", container, "jcmd", "1", "VM.info"),
                "jcmd VM.info").out();
        assertTrue(info.contains("active_processor_count: 1"), "the JVM counts 1 CPU:\n" + info);
        assertTrue(info.contains("memory_limit_in_bytes: 524288 k"), "the JVM sees the 512 MiB limit:\n" + info);
    }

    /** Builds {@code localhost/weft/NAME:TAG} from {@code jar}; skips when podman cannot run containers here. */
    private String build(String name, Path jar, Path train) throws Exception {
        assertTrue(Files.isRegularFile(jar), jar + " is packaged before the ops tests run (the reactor builds it)");
        String image = "localhost/weft/" + name + ":" + tag;
        Result r = run(LOGS.resolve("build-" + name + ".log"), BUILD_IMAGE.toString(), "--image", image,
                "--jar", jar.toString(), "--train", train.toString());
        skipUnless(r);
        images.add(image);
        expectSuccess(r, "build-image " + image);
        assertTrue(r.out().contains("train: "), "the AOT training run ran in the build:\n" + r.out());
        return image;
    }

    /** Starts a container of {@code image} with the limits the test is about and the AOT log on. */
    private String start(String name, String image, String... options) {
        List<String> command = new ArrayList<>(List.of("run", "--detach", "--name", name, "--network", network,
                "--memory", "512m", "--cpus", "1", "--env", "JAVA_TOOL_OPTIONS=-Xlog:aot=info"));
        command.addAll(List.of(options));
        command.add(image);
        containers.add(name);
        expectSuccess(podman(command.toArray(String[]::new)), "podman run " + name);
        return name;
    }

    /** {@code host:port} where the container's 8080 is published. */
    private String published(String container) {
        String out = expectSuccess(podman("port", container, "8080/tcp"), "podman port").out().strip();
        return out.lines().findFirst().orElseThrow();
    }

    private String logs(String container) {
        return expectSuccess(podman("logs", container), "podman logs").out();
    }

    private void awaitLog(String container, Pattern pattern) {
        Eventually.until(Duration.ofSeconds(120), container + ": a line matching " + pattern, () -> logs(container),
                log -> pattern.matcher(log).find());
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> await(String url, Predicate<HttpResponse<String>> until) {
        String[] lastError = {"no answer"};
        return Eventually.until(Duration.ofSeconds(120), url + " satisfies the condition", () -> {
            try {
                return get(url);
            } catch (IOException e) { // not listening yet
                lastError[0] = e.toString();
                return null;
            }
        }, r -> r != null && until.test(r), r -> r == null ? lastError[0] : r.statusCode() + " " + r.body());
    }

    /** Skips the test, even under CI=true, when build-image says podman cannot build or run containers here. */
    private static void skipUnless(Result r) {
        if (r.status() == CANNOT_RUN_HERE) {
            Assumptions.abort("no container image test here: " + r.out().strip().lines().reduce((a, b) -> b)
                    .orElse("") + " (install podman, as root, where containers can run; .ci/run does)");
        }
    }

    private static Result expectSuccess(Result r, String what) {
        assertEquals(0, r.status(), what + " failed:\n" + r.out());
        return r;
    }

    private static Result podman(String... args) {
        List<String> command = new ArrayList<>(List.of(PODMAN.toString()));
        command.addAll(List.of(args));
        try {
            return run(null, command.toArray(String[]::new));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("podman " + String.join(" ", args) + ": " + e, e);
        }
    }

    record Result(int status, String out) {}

    /** Runs {@code command}, output and errors together (also into {@code log} when given), for at most 20 min. */
    private static Result run(Path log, String... command) throws IOException, InterruptedException {
        Path out = log != null ? log : Files.createTempFile(LOGS, "podman", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        try {
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 20 min; see " + out);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            if (log == null) {
                Files.deleteIfExists(out);
            }
        }
    }
}
