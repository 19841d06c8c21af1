package dev.weft.dbpool;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Reads the meters that HikariCP's Micrometer tracker keeps for one pool ({@code hikaricp.connections.acquire},
 * {@code .usage}, {@code .pending}, {@code .timeout}, {@code .max}) and says whether the pool is too small, too large
 * or right, with the numbers behind the verdict.
 *
 * <p>Behind a {@link FailFastDataSource}, callers queue in its fair queue rather than inside HikariCP, so the wait,
 * the timeouts and the queue are read from its meters ({@code weft.db.pool.wait}, {@code .timeouts},
 * {@code .rejected}, {@code .waiting}) when they exist, and from HikariCP's otherwise; the hold time and the size are
 * always HikariCP's.
 *
 * <p>Each {@link #advise()} judges the window since the previous call (the first since the advisor was made), so
 * calling it once a minute gives a verdict per minute. The rules:
 * <ol>
 *   <li>no requests for a connection: {@link PoolAdvice.Verdict#NO_TRAFFIC};</li>
 *   <li>any timeout or bulkhead rejection, or a mean wait for a connection longer than the mean time it is then
 *       held (and over 1 ms): {@link PoolAdvice.Verdict#TOO_SMALL}: requests spend more time queueing for the
 *       database than using it;</li>
 *   <li>fewer than a third of the connections busy on average ({@code L = λ × W}) and a mean wait under 1 ms:
 *       {@link PoolAdvice.Verdict#TOO_LARGE}: the spare connections only cost database memory;</li>
 *   <li>otherwise {@link PoolAdvice.Verdict#RIGHT}.</li>
 * </ol>
 * A pool that is too small by these rules may still be right for the database: more connections than the database
 * host's {@code cores × 2 + spindles} move the queue into the database, where it is slower. The suggested size is a
 * starting point for that check, not an instruction.
 */
public final class PoolAdvisor {
    private static final double LOW_UTILIZATION = 1.0 / 3;
    private static final long NEGLIGIBLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final String poolName;
    private final Timer acquire;
    private final Timer usage;
    private final Counter timeout;
    private final Counter rejected;
    private final Gauge pending;
    private final Gauge queued;
    private final Gauge max;
    private final LongSupplier clock;
    private Snapshot last;

    /** An advisor for the pool named {@code poolName} whose tracker reports to {@code registry}. */
    public PoolAdvisor(MeterRegistry registry, String poolName) {
        this(registry, poolName, System::nanoTime);
    }

    PoolAdvisor(MeterRegistry registry, String poolName, LongSupplier clock) {
        this.poolName = poolName;
        Timer queueWait = registry.find(FailFastDataSource.WAIT).tag("pool", poolName).timer();
        boolean queue = queueWait != null;
        this.acquire = queue ? queueWait : registry.get("hikaricp.connections.acquire").tag("pool", poolName).timer();
        this.usage = registry.get("hikaricp.connections.usage").tag("pool", poolName).timer();
        this.timeout = registry.get(queue ? FailFastDataSource.TIMEOUTS : "hikaricp.connections.timeout")
                .tag("pool", poolName).counter();
        this.rejected = queue ? registry.get(FailFastDataSource.REJECTED).tag("pool", poolName).counter() : null;
        this.pending = registry.get("hikaricp.connections.pending").tag("pool", poolName).gauge();
        this.queued = queue ? registry.get(FailFastDataSource.WAITING).tag("pool", poolName).gauge() : null;
        this.max = registry.get("hikaricp.connections.max").tag("pool", poolName).gauge();
        this.clock = clock;
        this.last = snapshot();
    }

    public String poolName() {
        return poolName;
    }

    /** The verdict on the window since the previous call, and starts the next window. */
    public synchronized PoolAdvice advise() {
        Snapshot now = snapshot();
        Snapshot before = last;
        last = now;

        Duration window = Duration.ofNanos(Math.max(1, now.atNanos - before.atNanos));
        // The queue and HikariCP both time every request, the ones that time out too.
        long requests = now.acquireCount - before.acquireCount;
        long usages = now.usageCount - before.usageCount;
        long timeouts = Math.round(now.timeouts - before.timeouts);
        long rejections = Math.round(now.rejected - before.rejected);
        long meanAcquireNanos = requests == 0 ? 0 : Math.round((now.acquireNanos - before.acquireNanos) / requests);
        long meanUsageNanos = usages == 0 ? 0 : Math.round((now.usageNanos - before.usageNanos) / usages);
        int size = (int) max.value();
        int waiting = pending();
        double perSecond = usages / (window.toNanos() / 1e9);
        double busy = perSecond * meanUsageNanos / 1e9;
        double utilization = size == 0 ? 0 : busy / size;
        Duration maxAcquire = Duration.ofNanos((long) acquire.max(TimeUnit.NANOSECONDS));

        PoolAdvice.Verdict verdict;
        String why;
        int suggested;
        if (requests == 0 && rejections == 0) {
            verdict = PoolAdvice.Verdict.NO_TRAFFIC;
            why = "nobody asked for a connection in the window";
            suggested = size;
        } else if (timeouts > 0 || rejections > 0
                || meanAcquireNanos > Math.max(meanUsageNanos, NEGLIGIBLE_WAIT_NANOS)) {
            verdict = PoolAdvice.Verdict.TOO_SMALL;
            why = timeouts > 0 || rejections > 0
                    ? refusals(timeouts, rejections)
                    : String.format(Locale.ROOT, "callers waited %.2f ms for a connection, longer than the %.2f ms"
                            + " they then held it", meanAcquireNanos / 1e6, meanUsageNanos / 1e6);
            double wanted = perSecond * (meanAcquireNanos + meanUsageNanos) / 1e9;
            suggested = Math.max(size + 1, (int) Math.ceil(Math.max(wanted, busy) * 1.2));
        } else if (utilization < LOW_UTILIZATION && meanAcquireNanos < NEGLIGIBLE_WAIT_NANOS) {
            verdict = PoolAdvice.Verdict.TOO_LARGE;
            why = String.format(Locale.ROOT, "%.2f of %d connections busy on average (%.0f%%) and nobody waited",
                    busy, size, utilization * 100);
            suggested = Math.max(1, (int) Math.ceil(busy * 1.2));
        } else {
            verdict = PoolAdvice.Verdict.RIGHT;
            why = String.format(Locale.ROOT, "%.2f of %d connections busy on average (%.0f%%), mean wait %.2f ms",
                    busy, size, utilization * 100, meanAcquireNanos / 1e6);
            suggested = size;
        }
        return new PoolAdvice(verdict, why, size, window, requests, timeouts, rejections,
                Duration.ofNanos(meanAcquireNanos), maxAcquire, Duration.ofNanos(meanUsageNanos), waiting, busy,
                utilization, suggested);
    }

    private static String refusals(long timeouts, long rejections) {
        String timedOut = timeouts + " callers timed out waiting for a connection";
        String turnedAway = rejections + " callers were turned away by the bulkhead";
        return timeouts == 0 ? turnedAway : rejections == 0 ? timedOut : timedOut + " and " + turnedAway;
    }

    /**
     * The mean time a connection has been held since the pool started, from the usage timer; zero before the first
     * connection came back (or when every hold was under HikariCP's 1 ms resolution).
     */
    public Duration meanUsage() {
        return Duration.ofNanos((long) usage.mean(TimeUnit.NANOSECONDS));
    }

    /** Callers waiting for a connection right now: in the fair queue, and inside HikariCP. */
    public int pending() {
        return (int) pending.value() + (queued == null ? 0 : (int) queued.value());
    }

    private Snapshot snapshot() {
        return new Snapshot(clock.getAsLong(), acquire.count(), acquire.totalTime(TimeUnit.NANOSECONDS), usage.count(),
                usage.totalTime(TimeUnit.NANOSECONDS), timeout.count(), rejected == null ? 0 : rejected.count());
    }

    private record Snapshot(long atNanos, long acquireCount, double acquireNanos, long usageCount, double usageNanos,
                            double timeouts, double rejected) {}
}
