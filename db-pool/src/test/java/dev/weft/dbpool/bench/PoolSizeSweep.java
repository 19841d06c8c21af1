package dev.weft.dbpool.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import dev.weft.config.ConfigTree;
import dev.weft.dbpool.DbPool;
import dev.weft.dbpool.DbPoolConfig;
import dev.weft.dbpool.PoolAdvice;
import dev.weft.dbpool.PoolSizing;
import dev.weft.testkit.Services;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Sweeps the pool size under a fixed load and prints throughput and latency per size, to find the knee on this
 * machine; records JFR {@code jdk.VirtualThreadPinned} events during the whole sweep to check the hot path for
 * carrier pinning. Not a test: run it on demand (see the module README):
 *
 * <pre>
 * ./weft mvn -B -q -pl db-pool test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.weft.dbpool.bench.PoolSizeSweep -Dexec.args="--sizes 2,4,8,16,32,64 --threads 200 --seconds 3 --warmup 1 --rounds 2"
 * </pre>
 *
 * <p>Each size runs on two paths side by side: {@code queue}, the module's DataSource (a fair queue in front of
 * HikariCP), and {@code hikari}, HikariCP's own ({@code --paths} picks).
 *
 * <p>Each round runs every size once, so a noisy moment on a shared machine spreads over the sizes instead of
 * falling on one; the summary averages the rounds.
 *
 * <p>The load: {@code threads} virtual threads in a closed loop, each "request" borrowing a connection and running
 * what an order-history page runs: the customer's ten latest orders and their count and sum, two statements on an
 * indexed 100,000-row table. Latency is from asking the pool for a connection to giving it back, so it includes the
 * wait in the pool; the hold time is from getting it to giving it back. "per thread" is the fewest and the most
 * requests one thread completed: a wide spread means the pool did not serve its waiters in turn.
 */
public final class PoolSizeSweep {
    private static final int CUSTOMERS = 1_000;
    private static final int ORDERS_PER_CUSTOMER = 100;
    /** When the first warm-up ended: pinning before it is class loading on first use, after it the steady state. */
    private static Instant steadyFrom;

    private PoolSizeSweep() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int[] sizes = Arrays.stream(opts.getOrDefault("sizes", "2,4,8,16,32,64").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int threads = Integer.parseInt(opts.getOrDefault("threads", "200"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "2"));
        List<String> paths = List.of(opts.getOrDefault("paths", "queue,hikari").split(","));
        Duration measure = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("seconds", "3")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("warmup", "2")));
        int dbCores = Integer.parseInt(opts.getOrDefault("db-cores", Integer.toString(Runtime.getRuntime().availableProcessors())));
        int dbSpindles = Integer.parseInt(opts.getOrDefault("db-spindles", "0"));
        Path jfrFile = Path.of(opts.getOrDefault("jfr",
                Path.of(System.getProperty("java.io.tmpdir"), "pool-size-sweep.jfr").toString()));

        String schema = "dbpool_bench_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        System.out.printf(Locale.ROOT, "pool size sweep, %s, %d virtual threads, %d s per size after %d s warm-up,"
                        + " %d rounds, JDK %s, %d cores, load average %.1f, schema %s%n", Instant.now(), threads,
                measure.toSeconds(), warmup.toSeconds(), rounds, Runtime.version(),
                Runtime.getRuntime().availableProcessors(), loadAverage(), schema);
        admin("CREATE SCHEMA " + schema);
        try (Recording recording = pinningRecording()) {
            seed(schema);
            recording.start();
            provePinningIsRecorded();
            List<Result> results = new ArrayList<>();
            System.out.printf(Locale.ROOT, "%5s %6s %5s %10s %9s %9s %9s %9s %8s %13s  %s%n", "round", "path", "size",
                    "req/s", "p50 ms", "p99 ms", "hold ms", "wait ms", "busy", "per thread", "advisor");
            for (int round = 1; round <= rounds; round++) {
                for (int size : sizes) {
                    int free = freeConnections();
                    if (size > free - 10) {
                        System.out.printf(Locale.ROOT, "%5d %5d skipped: PostgreSQL has %d free connections and"
                                + " others share it%n", round, size, free);
                        continue;
                    }
                    for (String path : paths) {
                        Result r = run(schema, size, path, threads, warmup, measure);
                        results.add(r);
                        System.out.printf(Locale.ROOT, "%5d %6s %5d %10.0f %9.2f %9.2f %9.3f %9.2f %8.2f %13s  %s%n",
                                round, path, size, r.throughput, r.p50Millis, r.p99Millis, r.holdMillis, r.waitMillis,
                                r.throughput * r.holdMillis / 1000, r.fewestPerThread + ".." + r.mostPerThread,
                                path.equals("queue") ? r.advice.verdict() : "-");
                    }
                }
            }
            recording.stop();
            System.out.printf(Locale.ROOT, "load average at the end: %.1f%n", loadAverage());
            recording.dump(jfrFile);
            summarise(results, dbCores, dbSpindles);
            reportPinning(jfrFile);
        } finally {
            admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private record Result(String path, int size, double throughput, double p50Millis, double p99Millis, double holdMillis,
                          double waitMillis, int fewestPerThread, int mostPerThread, PoolAdvice advice) {}

    /**
     * One size on one path: {@code queue} is the module's DataSource (fair queue in front of HikariCP), {@code hikari}
     * HikariCP's own, for comparison.
     */
    private static Result run(String schema, int size, String path, int threads, Duration warmup, Duration measure)
            throws Exception {
        DbPoolConfig config = ConfigTree.of(Map.of("url", Services.postgres().url(), "username",
                Services.postgres().user(), "password", Services.postgres().password(), "name", schema + "_" + size, "schema", schema, "maximumPoolSize", size,
                "connectionTimeout", Duration.ofSeconds(60))).read(DbPoolConfig::from);
        try (DbPool pool = DbPool.open(config)) {
            DataSource source = path.equals("hikari") ? pool.hikariDataSource() : pool.dataSource();
            load(source, threads, warmup);
            if (steadyFrom == null) {
                steadyFrom = Instant.now();
            }
            pool.advise();
            Worker[] workers = load(source, threads, measure);
            PoolAdvice advice = pool.advise();
            long count = 0;
            int fewest = Integer.MAX_VALUE;
            int most = 0;
            long holdNanos = 0;
            long waitNanos = 0;
            for (Worker w : workers) {
                count += w.count;
                fewest = Math.min(fewest, w.count);
                most = Math.max(most, w.count);
                holdNanos += w.holdNanos;
                waitNanos += w.waitNanos;
            }
            long[] latencies = new long[(int) count];
            int at = 0;
            for (Worker w : workers) {
                System.arraycopy(w.latencies, 0, latencies, at, w.count);
                at += w.count;
            }
            Arrays.sort(latencies);
            double seconds = measure.toNanos() / 1e9;
            return new Result(path, size, count / seconds, percentile(latencies, 0.50), percentile(latencies, 0.99),
                    holdNanos / 1e6 / count, waitNanos / 1e6 / count, fewest, most, advice);
        }
    }

    /** Runs the closed loop on {@code threads} virtual threads for {@code duration}. */
    private static Worker[] load(DataSource pool, int threads, Duration duration) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        Worker[] workers = new Worker[threads];
        Thread[] running = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(pool, stop);
            running[i] = Thread.ofVirtual().name("load-", i).start(workers[i]);
        }
        Thread.sleep(duration); // the benchmark's measured run: its length is the input
        stop.set(true);
        for (Thread t : running) {
            t.join();
        }
        for (Worker w : workers) {
            if (w.failure != null) {
                throw new IllegalStateException("a request failed", w.failure);
            }
        }
        return workers;
    }

    /** One virtual thread's closed loop: request after request until told to stop. */
    private static final class Worker implements Runnable {
        private final DataSource pool;
        private final AtomicBoolean stop;
        long[] latencies = new long[1024];
        int count;
        long holdNanos;
        long waitNanos;
        Exception failure;

        Worker(DataSource pool, AtomicBoolean stop) {
            this.pool = pool;
            this.stop = stop;
        }

        @Override
        public void run() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            try {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    long got;
                    try (Connection c = pool.getConnection()) {
                        got = System.nanoTime();
                        orderHistory(c, 1 + random.nextInt(CUSTOMERS));
                    }
                    long end = System.nanoTime();
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = end - start;
                    waitNanos += got - start;
                    holdNanos += end - got;
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }

    /** The request: a customer's ten latest orders, then how many orders and how much in all. */
    private static void orderHistory(Connection c, long customerId) throws Exception {
        try (PreparedStatement latest = c.prepareStatement("SELECT id, total, status, created_at FROM orders"
                + " WHERE customer_id = ? ORDER BY created_at DESC LIMIT 10")) {
            latest.setLong(1, customerId);
            try (ResultSet rs = latest.executeQuery()) {
                while (rs.next()) {
                    rs.getBigDecimal(2);
                }
            }
        }
        try (PreparedStatement summary = c.prepareStatement(
                "SELECT count(*), sum(total) FROM orders WHERE customer_id = ?")) {
            summary.setLong(1, customerId);
            try (ResultSet rs = summary.executeQuery()) {
                rs.next();
            }
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    /**
     * Averages the rounds per size, then names the knee (the smallest size within 5% of the best mean throughput)
     * beside what the sizing rule predicts from the load measured there.
     */
    private static void summarise(List<Result> results, int dbCores, int dbSpindles) {
        if (results.isEmpty()) {
            return;
        }
        Map<String, Map<Integer, List<Result>>> byPath = new TreeMap<>(java.util.Comparator.reverseOrder());
        results.forEach(r -> byPath.computeIfAbsent(r.path, k -> new TreeMap<>())
                .computeIfAbsent(r.size, k -> new ArrayList<>()).add(r));
        System.out.printf(Locale.ROOT, "mean of the rounds:%n%6s %5s %10s %9s %9s %9s%n", "path", "size", "req/s",
                "p50 ms", "p99 ms", "hold ms");
        byPath.forEach((path, bySize) -> {
            List<Result> means = new ArrayList<>();
            bySize.forEach((size, rs) -> {
                Result m = new Result(path, size, mean(rs, Result::throughput), mean(rs, Result::p50Millis),
                        mean(rs, Result::p99Millis), mean(rs, Result::holdMillis), mean(rs, Result::waitMillis), 0, 0,
                        null);
                means.add(m);
                System.out.printf(Locale.ROOT, "%6s %5d %10.0f %9.2f %9.2f %9.3f%n", path, size, m.throughput,
                        m.p50Millis, m.p99Millis, m.holdMillis);
            });
            Result best = means.stream().max((x, y) -> Double.compare(x.throughput, y.throughput)).orElseThrow();
            Result knee = means.stream().filter(r -> r.throughput >= 0.95 * best.throughput).findFirst().orElseThrow();
            System.out.printf(Locale.ROOT, "%s knee: size %d gives %.0f req/s, within 5%% of the best (%.0f req/s at"
                    + " size %d); p99 there %.2f ms%n", path, knee.size, knee.throughput, best.throughput, best.size,
                    knee.p99Millis);
            PoolSizing rule = new PoolSizing(Math.max(1, Math.round(knee.throughput)),
                    Duration.ofNanos(Math.max(1, Math.round(knee.holdMillis * 1e6))),
                    PoolSizing.defaults().headroomPercent(), dbCores, dbSpindles);
            System.out.println(path + " sizing rule at that load: " + rule.decide().reasoning());
        });
    }

    private static double mean(List<Result> results, java.util.function.ToDoubleFunction<Result> field) {
        return results.stream().mapToDouble(field).average().orElse(Double.NaN);
    }

    private static Recording pinningRecording() {
        Recording recording = new Recording();
        recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
        recording.setToDisk(true);
        return recording;
    }

    /**
     * Counts the pinned events apart from the deliberate one, separating those during the first warm-up (class
     * loading and initialisation on first use) from those after (steady state: the hot path proper), and prints each
     * with JDK 25's own explanation ({@code blockingOperation}, {@code pinnedReason}) and the frame nearest the top
     * that is not the JDK's.
     */
    private static void reportPinning(Path jfrFile) throws Exception {
        int control = 0;
        int early = 0;
        List<String> lines = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfrFile)) {
            if (!e.getEventType().getName().equals("jdk.VirtualThreadPinned")) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace() == null ? List.of() : e.getStackTrace().getFrames();
            if (frames.stream().anyMatch(f -> f.getMethod().getType().getName()
                    .equals(PinnedInClassInitializer.class.getName()))) {
                control++;
                continue;
            }
            long atMillis = Duration.between(steadyFrom, e.getStartTime()).toMillis();
            if (atMillis < 0) {
                early++;
            }
            String caller = frames.stream().map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName())
                    .filter(name -> !name.startsWith("java.") && !name.startsWith("sun.") && !name.startsWith("jdk."))
                    .findFirst().orElse("?");
            lines.add(String.format(Locale.ROOT, "  %+d ms, %.1f ms pinned: %s, %s, in %s", atMillis,
                    e.getDuration().toNanos() / 1e6, field(e, "blockingOperation"), field(e, "pinnedReason"), caller));
        }
        System.out.printf(Locale.ROOT, "jdk.VirtualThreadPinned (threshold 0): %d during the first warm-up,"
                        + " %d after it (times relative to its end), %d from the deliberate control (sleep in a class initializer); recording %s%n",
                early, lines.size() - early, control, jfrFile);
        lines.forEach(System.out::println);
    }

    private static String field(RecordedEvent e, String name) {
        return e.hasField(name) ? e.getString(name) : "(no " + name + ")";
    }

    /**
     * The control: a virtual thread that blocks inside a class initializer stays pinned to its carrier even on
     * JDK 25 (JEP 491 unpinned {@code synchronized}, not class initialisation or native frames), so this must show
     * up in the recording; if it does not, the recording is not set up to see pinning at all.
     */
    static final class PinnedInClassInitializer {
        static {
            try {
                Thread.sleep(30); // blocking inside a class initializer is the point: it pins the carrier
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void touch() {}
    }

    /** Initialises {@link PinnedInClassInitializer} on a virtual thread (not here, on the main thread). */
    private static void provePinningIsRecorded() throws InterruptedException {
        Thread.ofVirtual().start(PinnedInClassInitializer::touch).join();
    }

    /** Fills the bench schema: 1,000 customers with 100 orders each, indexed by customer and date. */
    private static void seed(String schema) throws Exception {
        try (Connection c = Services.postgres().connect();
             Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + schema);
            s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL,"
                    + " total NUMERIC(12,2) NOT NULL, status VARCHAR(20) NOT NULL, created_at TIMESTAMP NOT NULL)");
            s.execute("INSERT INTO orders SELECT g, 1 + g % " + CUSTOMERS + ", (g % 10000) / 100.0,"
                    + " CASE WHEN g % 7 = 0 THEN 'NEW' ELSE 'PAID' END,"
                    + " TIMESTAMP '2026-01-01' + g * INTERVAL '1 minute'"
                    + " FROM generate_series(1, " + CUSTOMERS * ORDERS_PER_CUSTOMER + ") g");
            s.execute("CREATE INDEX orders_by_customer ON orders (customer_id, created_at)");
            s.execute("ANALYZE orders");
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static int freeConnections() throws Exception {
        try (Connection c = Services.postgres().connect();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('max_connections')::int"
                     + " - current_setting('superuser_reserved_connections')::int - count(*) FROM pg_stat_activity")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void admin(String sql) throws Exception {
        try (Connection c = Services.postgres().connect();
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        return opts;
    }
}
