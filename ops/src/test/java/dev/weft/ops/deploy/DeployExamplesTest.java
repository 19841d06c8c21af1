package dev.weft.ops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import dev.weft.cache.CachesConfig;
import dev.weft.cache.redis.RedisConfig;
import dev.weft.config.ConfigTree;
import dev.weft.dbpool.DbPoolConfig;
import dev.weft.events.service.EventsConfig;
import dev.weft.gateway.config.DnsConfig;
import dev.weft.gateway.config.GatewayConfig;
import dev.weft.http.ServerConfig;
import dev.weft.ops.launch.Launcher;
import dev.weft.shop.ShopConfig;
import dev.weft.shop.ShopDefaults;

/**
 * The deploy examples: the Kubernetes manifests (the shop's three replicas behind a headless Service, the gateway
 * that finds them through its DNS name) and the systemd unit. They parse, name the images the build makes and start
 * them as the images do, probe the health endpoints, give shutdown the time the service's
 * {@code server.shutdownTimeout} needs, carry configurations that the modules' own readers accept, and give the
 * launcher enough memory to start.
 */
class DeployExamplesTest {

    /** What a JVM needs after draining to exit: shutdown hooks, pools closing, JFR writing its recording. */
    private static final long EXIT_SECONDS = 5;

    /** The TTL of CoreDNS's answers for Services (its kubernetes plugin's {@code ttl}, 5 s by default). */
    private static final long COREDNS_TTL_SECONDS = 5;

    private static final long SHUTDOWN_SECONDS = ServerConfig.defaults().shutdownTimeout().toSeconds();

    /** Where the image build puts the service's jar, and the command it starts (ops/container/Containerfile). */
    private static final Path CONTAINERFILE = Path.of("container", "Containerfile");

    @TempDir
    Path dir;

    @Test
    void theShopRunsThreeReplicasBehindAHeadlessServiceTheGatewayResolves() throws IOException {
        Manifests shop = Manifests.read(Path.of("deploy/kubernetes/shop.yaml"));
        Manifests gateway = Manifests.read(Path.of("deploy/kubernetes/gateway.yaml"));
        Map<String, Object> deployment = shop.get("apps/v1", "Deployment", "weft-shop");
        Map<String, Object> spec = map(deployment, "spec");
        assertEquals(3, spec.get("replicas"));
        Map<String, Object> labels = map(spec, "template", "metadata", "labels");
        assertEquals(labels, map(spec, "selector", "matchLabels"));
        Map<String, Object> container = container(deployment);
        assertEquals(imageOf("shop"), container.get("image"));
        int port = httpPort(container);

        Map<String, Object> service = map(shop.get("v1", "Service", "weft-shop"), "spec");
        assertEquals("None", service.get("clusterIP"), "headless: one DNS record per pod, not one virtual IP");
        assertNotEquals(true, service.get("publishNotReadyAddresses"), "only ready pods in the DNS answer");
        assertEquals(labels, service.get("selector"));
        Map<String, Object> servicePort = maps(service, "ports").getFirst();
        assertEquals(port, servicePort.get("port"), "the gateway connects to the pods' own port");
        assertEquals("http", servicePort.get("targetPort"));

        assertBudget(shop.get("policy/v1", "PodDisruptionBudget", "weft-shop"), labels, 3, 2);

        ConfigTree config = configuration(shop, "weft-shop", container)
                .over(ShopDefaults.tree());
        ServerConfig server = ServerConfig.from(config.section("server"));
        DbPoolConfig.from(config.section("db"));
        CachesConfig caches = CachesConfig.from(config.section("cache"));
        EventsConfig events = EventsConfig.from(config.section("events"));
        ShopConfig.from(config.section("shop"));
        config.throwIfProblems();
        assertEquals(CachesConfig.Mode.REDIS, caches.mode(), "replicas share their cache through Redis");
        assertEquals(RedisConfig.Mode.CLUSTER, caches.redis().mode(), "on a Redis Cluster, as weft-cluster runs it");
        assertEquals(EventsConfig.Mode.RABBITMQ, events.mode(), "and their events through RabbitMQ");

        // The gateway sends a terminating pod requests until it no longer resolves: CoreDNS's TTL, then the
        // gateway's refresh, then the gateway JVM's DNS cache, which the gateway caps at its refresh.
        DnsConfig dns = gatewayConfig(gateway).upstreams().get("shop").dns();
        long preStop = preStopSeconds(container);
        long refresh = dns.refresh().toSeconds();
        assertTrue(preStop >= COREDNS_TTL_SECONDS + refresh + refresh, "preStop " + preStop + " s must outlast DNS: "
                + COREDNS_TTL_SECONDS + " s CoreDNS TTL + " + refresh + " s refresh + " + refresh + " s JVM cache");
        assertShutdownTiming(deployment, container, server.shutdownTimeout());
        assertStartsAsTheImageDoesAndProbes(container);
        assertRunsAsTheImagesUser(deployment, container);
        assertSizedByTheLauncher(container);
    }

    @Test
    void theGatewayRoutesToTheShopThroughItsHeadlessService() throws IOException {
        Manifests shop = Manifests.read(Path.of("deploy/kubernetes/shop.yaml"));
        Manifests gateway = Manifests.read(Path.of("deploy/kubernetes/gateway.yaml"));
        Map<String, Object> deployment = gateway.get("apps/v1", "Deployment", "weft-gateway");
        Map<String, Object> spec = map(deployment, "spec");
        assertTrue((int) spec.get("replicas") >= 2, "one gateway is a single point of failure");
        Map<String, Object> labels = map(spec, "template", "metadata", "labels");
        assertEquals(labels, map(spec, "selector", "matchLabels"));
        Map<String, Object> container = container(deployment);
        assertEquals(imageOf("gateway"), container.get("image"));
        httpPort(container);

        Map<String, Object> service = map(gateway.get("v1", "Service", "weft-gateway"), "spec");
        assertEquals(labels, service.get("selector"));
        assertEquals("http", maps(service, "ports").getFirst().get("targetPort"));
        assertBudget(gateway.get("policy/v1", "PodDisruptionBudget", "weft-gateway"), labels, (int) spec.get("replicas"),
                1);

        ConfigTree config = configuration(gateway, "weft-gateway", container);
        ServerConfig server = ServerConfig.from(config.section("server"));
        GatewayConfig routes = GatewayConfig.from(config.section("gateway"));
        config.throwIfProblems();
        DnsConfig dns = routes.upstreams().get("shop").dns();
        assertNotNull(dns, "the shop's instances come from DNS");
        String shopService = (String) map(shop.get("v1", "Service", "weft-shop"), "metadata").get("name");
        assertTrue(dns.name().equals(shopService) || dns.name().startsWith(shopService + "."),
                "the gateway resolves the shop's headless Service " + shopService + ", not " + dns.name());
        Map<String, Object> shopContainer = container(shop.get("apps/v1", "Deployment", "weft-shop"));
        assertEquals(httpPort(shopContainer), dns.port(), "the shop pods' port");
        assertTrue(routes.upstreams().get("shop").healthCheck().enabled(),
                "active checks take an instance out before DNS does, and back in");
        assertEquals(RedisConfig.Mode.CLUSTER, routes.rateLimit().redis().mode(),
                "the buckets on the shop's Redis Cluster");

        assertShutdownTiming(deployment, container, server.shutdownTimeout());
        assertStartsAsTheImageDoesAndProbes(container);
        assertRunsAsTheImagesUser(deployment, container);
        assertSizedByTheLauncher(container);
    }

    @Test
    void systemdUnitStopsWithSigtermAndWaitsForTheDrain() throws IOException {
        Map<String, Map<String, String>> unit = parseUnit(Path.of("deploy/systemd/weft-shop.service"));
        Map<String, String> service = unit.get("Service");
        assertEquals("SIGTERM", service.get("KillSignal"));
        assertEquals(SHUTDOWN_SECONDS + EXIT_SECONDS, systemdSeconds(service.get("TimeoutStopSec")),
                "TimeoutStopSec = server-core's shutdownTimeout + JVM exit");
        assertEquals("mixed", service.get("KillMode"), "SIGTERM to the JVM alone, SIGKILL to the rest on timeout");
        assertTrue(service.get("SuccessExitStatus").contains("143"), "a JVM stopped by SIGTERM exits 143");
        assertTrue(unit.get("Install").get("WantedBy").contains("multi-user.target"));
        assertTrue(unit.get("Unit").containsKey("Description"));

        List<String> exec = List.of(service.get("ExecStart").split("\\s+"));
        assertEquals("/opt/weft/ops/bin/weft-launch", exec.getFirst());
        long memory = systemdBytes(service.get("MemoryMax"));
        long quotaPercent = Long.parseLong(service.get("CPUQuota").replace("%", ""));
        Launcher.Result r = launch(memory, quotaPercent * 1000 + " 100000", exec.subList(1, exec.size()));
        assertTrue(r.out().contains("CPUs: " + (quotaPercent + 99) / 100 + " from cgroup v2 CPU quota"), r.out());
    }

    /** The image the build makes for {@code service}: the parent POM's image.registry, the name, this version. */
    private static String imageOf(String service) {
        String registry = System.getProperty("weft.image.registry");
        String version = System.getProperty("weft.version");
        assertNotNull(version, "run through Maven, which passes weft.version and weft.image.registry");
        return registry + "/" + service + ":" + version;
    }

    /**
     * The service's configuration as the pod sees it: the file WEFT_CONFIG names, which must be a key of a ConfigMap
     * mounted there, with the container's WEFT_ variables over it (values from Secrets as placeholders), so that a
     * misspelled variable is an unknown setting.
     */
    private static ConfigTree configuration(Manifests m, String configMap, Map<String, Object> container) {
        Map<String, String> env = new HashMap<>();
        for (Map<String, Object> e : maps(container, "env")) {
            env.put((String) e.get("name"), e.containsKey("value") ? (String) e.get("value") : "from-a-secret");
        }
        Path file = Path.of(env.getOrDefault("WEFT_CONFIG", "(no WEFT_CONFIG)"));
        Map<String, Object> mount = maps(container, "volumeMounts").stream()
                .filter(v -> file.startsWith((String) v.get("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError("WEFT_CONFIG " + file + " is on no volume"));
        assertEquals(Path.of((String) mount.get("mountPath")), file.getParent());
        Map<String, Object> volume = maps(map(container.get("__pod")), "volumes").stream()
                .filter(v -> v.get("name").equals(mount.get("name"))).findFirst().orElseThrow();
        assertEquals(configMap, map(volume, "configMap").get("name"));
        String text = (String) map(m.get("v1", "ConfigMap", configMap), "data").get(file.getFileName().toString());
        assertNotNull(text, "ConfigMap " + configMap + " has no " + file.getFileName());
        env.remove("WEFT_CONFIG");
        // The name ends as the key does (.yaml), which tells the parser the format; problems cite the manifest.
        return ConfigTree.parse(m.file() + ": ConfigMap " + configMap + ", " + file.getFileName(), text)
                .withOverrides(env, Map.of());
    }

    private static GatewayConfig gatewayConfig(Manifests gateway) {
        Map<String, Object> container = container(gateway.get("apps/v1", "Deployment", "weft-gateway"));
        ConfigTree config = configuration(gateway, "weft-gateway", container);
        ServerConfig.from(config.section("server"));
        GatewayConfig c = GatewayConfig.from(config.section("gateway"));
        config.throwIfProblems();
        return c;
    }

    /** terminationGracePeriodSeconds = preStop + the service's server.shutdownTimeout + the JVM's exit. */
    private static void assertShutdownTiming(Map<String, Object> deployment, Map<String, Object> container,
                                             Duration shutdownTimeout) {
        long preStop = preStopSeconds(container);
        assertTrue(preStop > 0, "preStop must wait for endpoint removal to propagate");
        Object grace = map(deployment, "spec", "template", "spec").get("terminationGracePeriodSeconds");
        assertEquals(preStop + shutdownTimeout.toSeconds() + EXIT_SECONDS, ((Number) grace).longValue(),
                "terminationGracePeriodSeconds = preStop + server.shutdownTimeout + JVM exit");
    }

    private static long preStopSeconds(Map<String, Object> container) {
        return ((Number) map(container, "lifecycle", "preStop", "sleep").get("seconds")).longValue();
    }

    /**
     * The container runs the image's own command (the Containerfile's ENTRYPOINT and CMD: weft-launch, the g1
     * profile whose AOT cache the build trains, the jar), and probes liveness and readiness on its HTTP port.
     */
    private static void assertStartsAsTheImageDoesAndProbes(Map<String, Object> container) throws IOException {
        List<Object> command = new ArrayList<>(values(container, "command"));
        command.addAll(values(container, "args"));
        List<Object> image = new ArrayList<>(containerfile("ENTRYPOINT"));
        image.addAll(containerfile("CMD"));
        assertEquals(image, command, "the image's command, so that the AOT cache trained in the build is used");

        String port = (String) maps(container, "ports").getFirst().get("name");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertEquals(port, map(container, probe, "httpGet").get("port"), probe);
        }
        assertEquals("/health/live", map(container, "startupProbe", "httpGet").get("path"));
        assertEquals("/health/live", map(container, "livenessProbe", "httpGet").get("path"),
                "liveness checks no dependency: a database outage must not restart every pod");
        assertEquals("/health/ready", map(container, "readinessProbe", "httpGet").get("path"));
    }

    /** The image's user (the Containerfile's USER), declared so that Kubernetes enforces it; a read-only root. */
    private static void assertRunsAsTheImagesUser(Map<String, Object> deployment, Map<String, Object> container)
            throws IOException {
        Map<String, Object> pod = map(deployment, "spec", "template", "spec", "securityContext");
        assertEquals(true, pod.get("runAsNonRoot"));
        String user = Files.readAllLines(CONTAINERFILE).stream().filter(l -> l.startsWith("USER "))
                .map(l -> l.substring(5).strip()).findFirst().orElseThrow();
        assertEquals(user, pod.get("runAsUser") + ":" + pod.get("runAsGroup"));
        Map<String, Object> c = map(container, "securityContext");
        assertEquals(true, c.get("readOnlyRootFilesystem"));
        assertEquals(false, c.get("allowPrivilegeEscalation"));
        List<String> writable = maps(container, "volumeMounts").stream()
                .filter(v -> !Boolean.TRUE.equals(v.get("readOnly"))).map(v -> (String) v.get("mountPath")).toList();
        assertTrue(writable.containsAll(List.of("/var/log/weft", "/tmp")),
                "the launcher's logs and the JVM's /tmp are writable volumes: " + writable);
    }

    /**
     * requests = limits, so the limit the launcher sizes from is what the scheduler reserved; the launcher's dry
     * run inside those limits sizes the heap itself, counts the CPUs from the quota, and warns of nothing.
     */
    private void assertSizedByTheLauncher(Map<String, Object> container) throws IOException {
        Map<String, Object> limits = map(container, "resources", "limits");
        assertEquals(limits, map(container, "resources", "requests"), "requests = limits: the heap is sized from the limit");
        long memory = kubernetesBytes((String) limits.get("memory"));
        long cpuMillis = kubernetesMillicores((String) limits.get("cpu"));
        List<String> args = new ArrayList<>();
        values(container, "args").forEach(a -> args.add((String) a));
        Launcher.Result r = launch(memory, (cpuMillis * 100) + " 100000", args);
        assertTrue(r.out().contains("CPUs: " + (cpuMillis + 999) / 1000 + " from cgroup v2 CPU quota"), r.out());
        assertFalse(r.out().contains("WARNING"), r.out());
    }

    private static void assertBudget(Map<String, Object> budget, Map<String, Object> labels, int replicas,
                                     int stillServing) {
        Map<String, Object> spec = map(budget, "spec");
        assertEquals(labels, map(spec, "selector", "matchLabels"), "the budget covers the Deployment's pods");
        int available = spec.containsKey("maxUnavailable")
                ? replicas - (int) spec.get("maxUnavailable") : (int) spec.get("minAvailable");
        assertTrue(available >= stillServing && available < replicas,
                "a drain keeps " + stillServing + " of " + replicas + " serving and can still proceed: " + spec);
    }

    /** The HTTP container port, named http; 8080, the PORT the container is given. */
    private static int httpPort(Map<String, Object> container) {
        Map<String, Object> port = maps(container, "ports").getFirst();
        assertEquals("http", port.get("name"));
        String env = maps(container, "env").stream().filter(e -> "PORT".equals(e.get("name")))
                .map(e -> (String) e.get("value")).findFirst().orElse("8080");
        assertEquals(Integer.parseInt(env), port.get("containerPort"), "the port the service binds (PORT)");
        return (int) port.get("containerPort");
    }

    /** The exec-form (JSON) argument list of the Containerfile's {@code instruction}. */
    private static List<Object> containerfile(String instruction) throws IOException {
        String line = Files.readAllLines(CONTAINERFILE).stream().filter(l -> l.startsWith(instruction + " "))
                .findFirst().orElseThrow(() -> new AssertionError("no " + instruction + " in " + CONTAINERFILE));
        Object args = new Load(LoadSettings.builder().build()).loadFromString(line.substring(instruction.length()));
        assertTrue(args instanceof List, instruction + " in exec form (a JSON list): " + line);
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) args;
        return list;
    }

    /** The only container of a Deployment, with its pod spec under {@code __pod}. */
    private static Map<String, Object> container(Map<String, Object> deployment) {
        Map<String, Object> pod = map(deployment, "spec", "template", "spec");
        List<Map<String, Object>> containers = maps(pod, "containers");
        assertEquals(1, containers.size());
        Map<String, Object> c = new LinkedHashMap<>(containers.getFirst());
        c.put("__pod", pod);
        return c;
    }

    /** The documents of a multi-document YAML file, by apiVersion, kind and name. */
    record Manifests(Path file, Map<String, Map<String, Object>> byKey) {
        static Manifests read(Path file) throws IOException {
            Map<String, Map<String, Object>> byKey = new LinkedHashMap<>();
            for (Object doc : new Load(LoadSettings.builder().setLabel(file.toString()).build())
                    .loadAllFromString(Files.readString(file))) {
                Map<String, Object> d = map(doc);
                String key = d.get("apiVersion") + " " + d.get("kind") + " " + map(d, "metadata").get("name");
                assertTrue(byKey.put(key, d) == null, "two documents are " + key);
            }
            return new Manifests(file, byKey);
        }

        Map<String, Object> get(String apiVersion, String kind, String name) {
            Map<String, Object> d = byKey.get(apiVersion + " " + kind + " " + name);
            assertNotNull(d, file + " has no " + apiVersion + " " + kind + " " + name + "; it has " + byKey.keySet());
            return d;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String... path) {
        Object n = node;
        for (String key : path) {
            assertTrue(n instanceof Map, "not a mapping above " + key + ": " + n);
            n = ((Map<String, Object>) n).get(key);
        }
        assertTrue(n instanceof Map, "not a mapping at " + String.join(".", path) + ": " + n);
        return (Map<String, Object>) n;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Map<String, Object> node, String key) {
        return (List<Map<String, Object>>) (List<?>) values(node, key);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> values(Map<String, Object> node, String key) {
        Object n = node.get(key);
        assertTrue(n instanceof List, "not a list at " + key + ": " + n);
        return (List<Object>) n;
    }

    /**
     * Runs the launcher's dry run inside a cgroup v2 tree with the example's memory limit and CPU quota; it must
     * start (not refuse) and size the heap itself.
     */
    private Launcher.Result launch(long memoryBytes, String cpuMax, List<String> args) throws IOException {
        Path cgroup = Files.createDirectories(dir.resolve("sys/fs/cgroup"));
        Files.writeString(cgroup.resolve("cgroup.controllers"), "cpu memory\n");
        Files.writeString(cgroup.resolve("memory.max"), memoryBytes + "\n");
        Files.writeString(cgroup.resolve("cpu.max"), cpuMax + "\n");
        Path proc = Files.createDirectories(dir.resolve("proc/self"));
        Files.writeString(proc.resolve("cgroup"), "0::/\n");
        Files.writeString(dir.resolve("proc/meminfo"), "MemTotal: 16777216 kB\n");
        Files.writeString(cgroup.resolve("cpuset.cpus.effective"), "0-3\n");
        List<String> all = new ArrayList<>(List.of("--dry-run"));
        all.addAll(args);
        Launcher.Result r = new Launcher("/bin/sh", dir).run(all.toArray(String[]::new)).expectStatus(0);
        assertTrue(r.flags().stream().anyMatch(f -> f.matches("-Xmx\\d+M")), r.out());
        assertTrue(r.flags().contains("-XX:+UseG1GC"), r.out());
        return r;
    }

    /** Parses a systemd unit: [Section] headers, Key=Value lines, # and ; comments, backslash continuations. */
    static Map<String, Map<String, String>> parseUnit(Path file) throws IOException {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        StringBuilder pending = new StringBuilder();
        int lineNo = 0;
        for (String raw : Files.readAllLines(file)) {
            lineNo++;
            String line = raw.strip();
            if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#") || line.startsWith(";"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String logical = pending.toString().strip();
            pending.setLength(0);
            if (logical.startsWith("[") && logical.endsWith("]")) {
                current = sections.computeIfAbsent(logical.substring(1, logical.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            int eq = logical.indexOf('=');
            if (current == null || eq < 1) {
                throw new AssertionError(file + ":" + lineNo + ": not a [Section] or Key=Value line: " + raw);
            }
            current.put(logical.substring(0, eq).strip(), logical.substring(eq + 1).strip().replaceAll("\\s+", " "));
        }
        return sections;
    }

    private static long systemdSeconds(String span) {
        Matcher m = Pattern.compile("(\\d+)\\s*(s|sec|min)?").matcher(span);
        assertTrue(m.matches(), "unsupported time span: " + span);
        long n = Long.parseLong(m.group(1));
        return "min".equals(m.group(2)) ? n * 60 : n;
    }

    private static long systemdBytes(String size) {
        return scaled(size, Map.of("K", 1L << 10, "M", 1L << 20, "G", 1L << 30));
    }

    private static long kubernetesBytes(String quantity) {
        return scaled(quantity, Map.of("Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30, "M", 1_000_000L, "G", 1_000_000_000L));
    }

    private static long scaled(String value, Map<String, Long> units) {
        Matcher m = Pattern.compile("(\\d+)([A-Za-z]*)").matcher(value);
        assertTrue(m.matches(), "unsupported size: " + value);
        long scale = m.group(2).isEmpty() ? 1 : units.getOrDefault(m.group(2), -1L);
        assertTrue(scale > 0, "unsupported unit in " + value);
        return Long.parseLong(m.group(1)) * scale;
    }

    private static long kubernetesMillicores(String cpu) {
        return cpu.endsWith("m") ? Long.parseLong(cpu.substring(0, cpu.length() - 1)) : Long.parseLong(cpu) * 1000;
    }
}
