package dev.weft.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;


/**
 * A real Redis topology for an integration test, made of the machine's own {@code redis-server} and
 * {@code redis-cli} (Debian's {@code redis-server} and {@code redis-tools} packages) on free loopback ports, with
 * their files in a temporary directory:
 * <ul>
 *   <li>{@link #cluster(Duration)}: a Redis Cluster of three primaries with one replica each
 *       ({@code redis-cli --cluster create --cluster-replicas 1});</li>
 *   <li>{@link #sentinel(String, Duration)}: one primary, one replica and three sentinels (quorum 2), the sentinels
 *       run as {@code redis-server --sentinel}, which is what Debian's {@code redis-sentinel} command runs.</li>
 * </ul>
 * Every wait is on real readiness, polled with a deadline: each server answers {@code PING}, the cluster reports
 * {@code cluster_state:ok} on every node and each replica's link to its primary is up; each sentinel reports the
 * primary, its replica and the other two sentinels. {@link #close()} kills every process and deletes the directory
 * (a shutdown hook does the same if the test JVM exits first).
 *
 * <p>When {@code redis-server} or {@code redis-cli} is not installed the calling test is skipped with a message
 * saying so, except under {@code CI=true}, where it fails, as with {@link Services}.
 *
 * <p>Persistence is off (no RDB, no AOF) and replication is diskless, so that a topology starts in about a second;
 * it is small (nine processes at most, a few MB each), since the machine that runs the tests is shared.
 */
public final class RedisTopology implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 50;

    /** What the topology is. */
    public enum Kind { CLUSTER, SENTINEL }

    /** Looked up first, so that a machine without Redis skips (or, under CI, fails) before anything starts. */
    private final Path redisServer = Services.program("redis-server", "apt-get install redis-server");
    private final Path redisCli = Services.program("redis-cli", "apt-get install redis-tools");
    private final Kind kind;
    private final Path dir;
    private final String masterName;
    /** Every process by its address: the data servers first, then the sentinels. */
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final List<String> servers = new ArrayList<>();
    private final List<String> sentinels = new ArrayList<>();
    private final Thread shutdownHook;
    private volatile boolean closed;

    private RedisTopology(Kind kind, String masterName) {
        this.kind = kind;
        this.masterName = masterName;
        try {
            this.dir = Files.createTempDirectory("weft-redis-" + kind.name().toLowerCase() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.shutdownHook = new Thread(this::destroyAll, "weft-redis-topology-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a cluster of three primaries with one replica each and waits until it serves every slot and every
     * replica is in sync with its primary.
     *
     * @param nodeTimeout {@code cluster-node-timeout}: how long a primary may be unreachable before the others
     *                    mark it failed and its replica takes over
     */
    public static RedisTopology cluster(Duration nodeTimeout) {
        return startWithRetries(() -> {
            RedisTopology t = new RedisTopology(Kind.CLUSTER, null);
            try {
                for (int i = 0; i < 6; i++) {
                    int port = freePort();
                    t.startServer(port, """
                            cluster-enabled yes
                            cluster-port %d
                            cluster-config-file nodes.conf
                            cluster-node-timeout %d
                            cluster-replica-validity-factor 0
                            """.formatted(freePort(), nodeTimeout.toMillis()));
                }
                t.servers.forEach(t::awaitPing);
                List<String> create = new ArrayList<>(List.of("--cluster", "create"));
                create.addAll(t.servers);
                create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
                t.redisCli(null, create);
                t.awaitCondition("the cluster to serve every slot with every replica in sync", () -> {
                    for (String server : t.servers) {
                        if (!t.cli(server, "CLUSTER", "INFO").contains("cluster_state:ok")) {
                            return false;
                        }
                    }
                    return t.primaries().size() == 3 && t.servers.stream()
                            .filter(s -> field(t.cli(s, "INFO", "replication"), "role").equals("slave"))
                            .allMatch(s -> field(t.cli(s, "INFO", "replication"), "master_link_status").equals("up"));
                });
                return t;
            } catch (RuntimeException | Error e) {
                t.close();
                throw e;
            }
        });
    }

    /**
     * Starts a primary, its replica and three sentinels monitoring it under {@code masterName} with a quorum of two,
     * and waits until the replica is in sync and every sentinel knows the primary, the replica and the other two
     * sentinels (so that a failover can be agreed on).
     *
     * @param downAfter {@code down-after-milliseconds}: how long the primary may be unreachable before a sentinel
     *                  considers it down
     */
    public static RedisTopology sentinel(String masterName, Duration downAfter) {
        return startWithRetries(() -> {
            RedisTopology t = new RedisTopology(Kind.SENTINEL, masterName);
            try {
                int primaryPort = freePort();
                t.startServer(primaryPort, "");
                t.awaitPing(t.servers.getFirst());
                t.startServer(freePort(), "replicaof %s %d\n".formatted(HOST, primaryPort));
                t.awaitPing(t.servers.get(1));
                t.awaitCondition("the replica to be in sync with the primary",
                        () -> field(t.cli(t.servers.get(1), "INFO", "replication"), "master_link_status").equals("up"));
                for (int i = 0; i < 3; i++) {
                    t.startSentinel(freePort(), """
                            sentinel monitor %1$s %2$s %3$d 2
                            sentinel down-after-milliseconds %1$s %4$d
                            sentinel failover-timeout %1$s %5$d
                            sentinel parallel-syncs %1$s 1
                            """.formatted(masterName, HOST, primaryPort, downAfter.toMillis(),
                            Math.max(3000, downAfter.toMillis() * 3)));
                }
                t.sentinels.forEach(t::awaitPing);
                t.awaitCondition("every sentinel to know the primary, its replica and the other sentinels", () -> {
                    for (String sentinel : t.sentinels) {
                        String master = t.cli(sentinel, "SENTINEL", "MASTER", masterName);
                        if (!pairs(master).getOrDefault("num-slaves", "").equals("1")
                                || !pairs(master).getOrDefault("num-other-sentinels", "").equals("2")
                                || !pairs(master).getOrDefault("flags", "").equals("master")) {
                            return false;
                        }
                    }
                    return true;
                });
                return t;
            } catch (RuntimeException | Error e) {
                t.close();
                throw e;
            }
        });
    }

    /** What this topology is. */
    public Kind kind() {
        return kind;
    }

    /**
     * The addresses a client is configured with: every server of a cluster (the seeds to discover it from), or the
     * three sentinels.
     */
    public List<String> addresses() {
        return kind == Kind.CLUSTER ? List.copyOf(servers) : List.copyOf(sentinels);
    }

    /**
     * The settings of a {@code redis} section (the cache module's {@code RedisConfig}, which the gateway's
     * {@code rateLimit.redis} is too) that reach this topology: its mode, its addresses, and under Sentinel the
     * primary's name. A test adds its own key prefix and timeouts.
     */
    public Map<String, Object> redisSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("mode", kind == Kind.CLUSTER ? "cluster" : "sentinel");
        settings.put("nodes", addresses());
        if (kind == Kind.SENTINEL) {
            settings.put("masterName", masterName);
        }
        return settings;
    }

    /** The primary's name as the sentinels know it (sentinel topology only). */
    public String masterName() {
        if (kind != Kind.SENTINEL) {
            throw new IllegalStateException("a cluster has no master name");
        }
        return masterName;
    }

    /** Every data server (primaries and replicas, not the sentinels), {@code host:port}, killed ones included. */
    public List<String> servers() {
        return List.copyOf(servers);
    }

    /** The live primaries now: three in a cluster (as a live node reports them), one under Sentinel. */
    public List<String> primaries() {
        if (kind == Kind.SENTINEL) {
            return List.of(primary());
        }
        List<String> primaries = new ArrayList<>();
        for (String[] node : clusterNodes()) {
            if (node[2].contains("master") && !node[2].contains("fail") && node.length > 8) {
                primaries.add(address(node));
            }
        }
        return primaries;
    }

    /** The primary that serves {@code key}: its slot's owner in a cluster, the sentinels' primary otherwise. */
    public String primaryFor(String key) {
        if (kind == Kind.SENTINEL) {
            return primary();
        }
        int slot = Integer.parseInt(cli(liveServer(), "CLUSTER", "KEYSLOT", key).strip());
        for (String[] node : clusterNodes()) {
            if (node[2].contains("master") && !node[2].contains("fail")) {
                for (int[] range : slotRanges(node)) {
                    if (slot >= range[0] && slot <= range[1]) {
                        return address(node);
                    }
                }
            }
        }
        throw new IllegalStateException("no live primary serves slot " + slot + " of key " + key);
    }

    /** The slot ranges ({from, to}, inclusive) that the cluster's {@code primary} serves now (cluster only). */
    public List<int[]> slotsOf(String primary) {
        if (kind != Kind.CLUSTER) {
            throw new IllegalStateException("only a cluster has slots");
        }
        for (String[] node : clusterNodes()) {
            if (address(node).equals(primary)) {
                return slotRanges(node);
            }
        }
        throw new IllegalArgumentException(primary + " is not a node of the cluster");
    }

    /** The slot ranges of a {@code CLUSTER NODES} line; migrating and importing slots ({@code [...]}) left out. */
    private static List<int[]> slotRanges(String[] node) {
        List<int[]> ranges = new ArrayList<>();
        for (int i = 8; i < node.length; i++) {
            if (node[i].startsWith("[")) {
                continue;
            }
            int dash = node[i].indexOf('-');
            int from = Integer.parseInt(dash < 0 ? node[i] : node[i].substring(0, dash));
            ranges.add(new int[] {from, dash < 0 ? from : Integer.parseInt(node[i].substring(dash + 1))});
        }
        return ranges;
    }

    /** The primary as the first sentinel that answers reports it (sentinel topology only). */
    public String primary() {
        if (kind != Kind.SENTINEL) {
            throw new IllegalStateException("a cluster has one primary per shard: use primaryFor(key)");
        }
        IllegalStateException last = null;
        for (String sentinel : sentinels) {
            try {
                return primaryAccordingTo(sentinel);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    /** The replica of {@code primary} that is linked to it now. */
    public String replicaOf(String primary) {
        for (String server : servers) {
            if (server.equals(primary) || !processes.get(server).isAlive()) {
                continue;
            }
            String info = cli(server, "INFO", "replication");
            if (field(info, "role").equals("slave")
                    && (field(info, "master_host") + ":" + field(info, "master_port")).equals(primary)) {
                return server;
            }
        }
        throw new IllegalStateException("no live replica of " + primary);
    }

    /** Kills the server at {@code address} with SIGKILL, as a crash would, and waits until the process is gone. */
    public void kill(String address) {
        Process p = processes.get(address);
        if (p == null) {
            throw new IllegalArgumentException("no process at " + address + "; there are " + processes.keySet());
        }
        p.destroyForcibly();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the server at " + address + " did not die within 10 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + address, e);
        }
    }

    /**
     * Waits until the replica of the killed {@code oldPrimary} has taken over: in a cluster, a live node reports it as
     * a primary owning the old primary's slots and every live node reports {@code cluster_state:ok}; under Sentinel,
     * every sentinel reports it as the primary and it reports itself as one. Returns the new primary.
     */
    public String awaitFailover(String oldPrimary, String replica, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        IllegalStateException lastFailure = null;
        while (true) {
            try {
                if (failedOver(oldPrimary, replica)) {
                    return replica;
                }
            } catch (IllegalStateException e) {
                // A sentinel that reconfigures a server kills its normal clients (CLIENT KILL TYPE normal, so that
                // they reconnect to the right primary), and a redis-cli asking at that moment is one of them:
                // "Connection reset by peer". The failover is under way, not failed; ask again.
                lastFailure = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError timedOut = new AssertionError("no failover from " + oldPrimary + " to " + replica
                        + " within " + timeout.toMillis() + " ms; " + describe());
                if (lastFailure != null) {
                    timedOut.addSuppressed(lastFailure);
                }
                throw timedOut;
            }
            pause();
        }
    }

    private boolean failedOver(String oldPrimary, String replica) {
        if (!field(cli(replica, "INFO", "replication"), "role").equals("master")) {
            return false;
        }
        if (kind == Kind.SENTINEL) {
            for (String sentinel : sentinels) {
                if (!primaryAccordingTo(sentinel).equals(replica)) {
                    return false;
                }
            }
            return true;
        }
        for (String server : servers) {
            if (!server.equals(oldPrimary) && processes.get(server).isAlive()
                    && !cli(server, "CLUSTER", "INFO").contains("cluster_state:ok")) {
                return false;
            }
        }
        return primaries().contains(replica) && !primaries().contains(oldPrimary);
    }

    /** {@code redis-cli -h host -p port ARGS...} against {@code address}: its output; throws if it fails. */
    public String cli(String address, String... args) {
        return redisCli(address, List.of(args));
    }

    /** Where the servers keep their files and logs. */
    public Path directory() {
        return dir;
    }

    /** The state of every process and its last log lines: for failure messages. */
    public String describe() {
        StringBuilder b = new StringBuilder("topology in ").append(dir).append(':');
        processes.forEach((address, p) -> {
            b.append("\n  ").append(address).append(p.isAlive() ? " alive" : " dead (exit " + p.exitValue() + ")");
            logTail(address).ifPresent(tail -> b.append("\n    ").append(tail.replace("\n", "\n    ")));
        });
        return b.toString();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down, and the hook is running or has run
        }
        deleteDirectory();
    }

    private void destroyAll() {
        processes.values().forEach(Process::destroyForcibly);
        for (Process p : processes.values()) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void deleteDirectory() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory harms nothing
        }
    }

    private void startServer(int port, String extraConfig) {
        String address = HOST + ":" + port;
        servers.add(address);
        start(address, port, """
                save ""
                appendonly no
                repl-diskless-sync yes
                repl-diskless-sync-delay 0
                """ + extraConfig, false);
    }

    private void startSentinel(int port, String extraConfig) {
        String address = HOST + ":" + port;
        sentinels.add(address);
        start(address, port, extraConfig, true);
    }

    /** Starts {@code redis-server CONFIG [--sentinel]} in a directory of its own, its output to a log file there. */
    private void start(String address, int port, String extraConfig, boolean sentinel) {
        Path home = dir.resolve(Integer.toString(port));
        Path config = home.resolve(sentinel ? "sentinel.conf" : "redis.conf");
        try {
            Files.createDirectories(home);
            Files.writeString(config, """
                    bind %s
                    port %d
                    dir %s
                    daemonize no
                    logfile ""
                    loglevel notice
                    """.formatted(HOST, port, home) + extraConfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(redisServer.toString(), config.toString()));
        if (sentinel) {
            command.add("--sentinel");
        }
        try {
            Process p = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(home.resolve("log").toFile()).start();
            processes.put(address, p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    private void awaitPing(String address) {
        awaitCondition(address + " to answer PING", () -> {
            if (!processes.get(address).isAlive()) {
                throw new PortTaken(address + " exited while starting; " + describe());
            }
            try {
                return cli(address, "PING").strip().equals("PONG");
            } catch (IllegalStateException e) {
                return false;
            }
        });
    }

    private void awaitCondition(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                if (condition.get()) {
                    return;
                }
            } catch (PortTaken e) {
                throw e;
            } catch (IllegalStateException e) {
                // not ready to answer yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + START_TIMEOUT.toSeconds() + " s waiting for " + what
                        + "; " + describe());
            }
            pause();
        }
    }

    private String primaryAccordingTo(String sentinel) {
        List<String> lines = cli(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName).strip().lines()
                .toList();
        if (lines.size() != 2) {
            throw new IllegalStateException("sentinel " + sentinel + " does not know " + masterName + ": " + lines);
        }
        return lines.get(0) + ":" + lines.get(1);
    }

    /** {@code CLUSTER NODES} of a live server, one array of fields per node. */
    private List<String[]> clusterNodes() {
        return cli(liveServer(), "CLUSTER", "NODES").strip().lines().map(line -> line.split(" ")).toList();
    }

    private String liveServer() {
        return servers.stream().filter(s -> processes.get(s).isAlive()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no live server; " + describe()));
    }

    /** The {@code host:port} of a {@code CLUSTER NODES} line ({@code ip:port@cport[,hostname]}). */
    private static String address(String[] node) {
        String a = node[1];
        int at = a.indexOf('@');
        return at < 0 ? a : a.substring(0, at);
    }

    /** {@code redis-cli [-h -p address] args}; the output, or IllegalStateException when it fails or hangs. */
    private String redisCli(String address, List<String> args) {
        List<String> command = new ArrayList<>(List.of(redisCli.toString()));
        if (address != null) {
            int colon = address.lastIndexOf(':');
            command.addAll(List.of("-h", address.substring(0, colon), "-p", address.substring(colon + 1)));
        }
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || text.startsWith("Could not connect") || text.startsWith("ERR")
                    || text.startsWith("(error)")) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue()
                        + "): " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** The value of {@code name:value} in INFO output, or "" when absent. */
    private static String field(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip())
                .findFirst().orElse("");
    }

    /** redis-cli's rendering of a flat reply of alternating names and values, as a map. */
    private static Map<String, String> pairs(String reply) {
        List<String> lines = reply.strip().lines().toList();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            map.put(lines.get(i), lines.get(i + 1));
        }
        return map;
    }

    private Optional<String> logTail(String address) {
        Path log = dir.resolve(address.substring(address.lastIndexOf(':') + 1)).resolve("log");
        try {
            List<String> lines = Files.readAllLines(log);
            return Optional.of(String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        }
    }

    /** A free loopback port; the server that is given it binds it a moment later. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code start} up to three times: a port found free may be taken by another process before the server binds
     * it, and then the server exits at once.
     */
    private static RedisTopology startWithRetries(Supplier<RedisTopology> start) {
        PortTaken last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return start.get();
            } catch (PortTaken e) {
                last = e;
            }
        }
        throw new AssertionError("Redis did not start", last);
    }

    /** A server exited while starting, most likely because its port was taken meanwhile. */
    private static final class PortTaken extends IllegalStateException {
        PortTaken(String message) {
            super(message);
        }
    }
}
