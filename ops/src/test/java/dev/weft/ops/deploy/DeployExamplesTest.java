package dev.weft.ops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.weft.http.ServerConfig;
import dev.weft.ops.launch.Launcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy examples parse, probe the health endpoints, give shutdown the time server-core's shutdownTimeout
 * needs, and give the launcher enough memory to start.
 */
class DeployExamplesTest {

    /** What a JVM needs after draining to exit: shutdown hooks, pools closing, JFR writing its recording. */
    private static final long EXIT_SECONDS = 5;

    private static final long SHUTDOWN_SECONDS = ServerConfig.defaults().shutdownTimeout().toSeconds();

    @TempDir
    Path dir;

    @Test
    void kubernetesDeploymentProbesHealthAndWaitsForTheDrain() throws IOException {
        JsonNode d = new YAMLMapper().readTree(Path.of("deploy/kubernetes/deployment.yaml").toFile());
        assertEquals("apps/v1", d.path("apiVersion").asText());
        assertEquals("Deployment", d.path("kind").asText());
        JsonNode pod = d.path("spec").path("template").path("spec");
        JsonNode containers = pod.path("containers");
        assertEquals(1, containers.size());
        JsonNode c = containers.get(0);

        String portName = c.path("ports").get(0).path("name").asText();
        assertEquals(8080, c.path("ports").get(0).path("containerPort").asInt());
        assertEquals("/health/live", c.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/health/ready", c.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals(portName, c.path("livenessProbe").path("httpGet").path("port").asText());
        assertEquals(portName, c.path("readinessProbe").path("httpGet").path("port").asText());

        long preStop = c.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong(-1);
        assertTrue(preStop > 0, "preStop must wait for endpoint removal to propagate");
        long grace = pod.path("terminationGracePeriodSeconds").asLong(-1);
        assertEquals(preStop + SHUTDOWN_SECONDS + EXIT_SECONDS, grace,
                "terminationGracePeriodSeconds = preStop + server-core's shutdownTimeout + JVM exit");

        JsonNode limits = c.path("resources").path("limits");
        assertEquals(limits, c.path("resources").path("requests"), "requests = limits: the heap is sized from the limit");
        assertEquals("/opt/weft/ops/bin/weft-launch", c.path("command").get(0).asText());
        List<String> args = new ArrayList<>();
        c.path("args").forEach(a -> args.add(a.asText()));

        long memory = kubernetesBytes(limits.path("memory").asText());
        long cpuMillis = kubernetesMillicores(limits.path("cpu").asText());
        Launcher.Result r = launch(memory, (cpuMillis * 100) + " 100000", args);
        assertTrue(r.out().contains("CPUs: " + (cpuMillis + 999) / 1000 + " from cgroup v2 CPU quota"), r.out());
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
