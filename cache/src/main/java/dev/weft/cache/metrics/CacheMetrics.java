package dev.weft.cache.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * One cache's meters, registered once so that the read path only increments fields (no registry look-up, no tag
 * array per call). Every name is under {@code cache.}; every meter carries the {@code cache} tag:
 * <ul>
 *   <li>{@code cache.gets{level=l1|l2|bloom, result=hit|null_hit|miss|stale|rejected}}: reads by level and outcome</li>
 *   <li>{@code cache.loads{result=success|null|failure}}: loader calls and their time</li>
 *   <li>{@code cache.evictions{level=l1}}: entries L1 dropped for size</li>
 *   <li>{@code cache.refreshes}: XFetch early refreshes started</li>
 *   <li>{@code cache.lock{result=acquired|waited|stale|timeout}}: outcomes of the cross-node lock</li>
 *   <li>{@code cache.local.resets}: L1 cleared because the invalidation subscription was lost or regained</li>
 * </ul>
 * Redis errors and the breaker's state are per node, not per cache: {@code cache.redis.errors{op}} and
 * {@code cache.redis.breaker} (see {@code RedisStore}).
 *
 * <p>{@code cache.gets} are function counters over {@link ThreadCounts}, so that counting an L1 hit is a plain store
 * into the calling thread's cell instead of an atomic add (the reason and its measurement are there); they read as
 * exact as any counter. The rest are Micrometer's own meters: they sit on paths that call Redis or a loader. One
 * node per registry: a second node's cache of the same name takes over the {@code cache.gets} meters (they then
 * count from 0), where Micrometer's counters would have been shared.
 */
public final class CacheMetrics {
    /** The outcomes of a read that {@link #gets} counts, one {@code cache.gets} meter each. */
    public static final int L1_HIT = 0, L1_NULL_HIT = 1, L1_MISS = 2, L2_HIT = 3, L2_NULL_HIT = 4, L2_MISS = 5,
            L2_STALE = 6, BLOOM_REJECTED = 7;
    private static final String[][] GETS = {
            {"l1", "hit"}, {"l1", "null_hit"}, {"l1", "miss"}, {"l2", "hit"}, {"l2", "null_hit"}, {"l2", "miss"},
            {"l2", "stale"}, {"bloom", "rejected"}};

    /** The counts behind {@code cache.gets}, one per outcome, {@link #L1_HIT} to {@link #BLOOM_REJECTED}. */
    public final ThreadCounts gets = new ThreadCounts(GETS.length);
    public final Counter evictions;
    public final Counter refreshes;
    public final Counter lockAcquired;
    public final Counter lockWaited;
    public final Counter lockStale;
    public final Counter lockTimeout;
    public final Counter localResets;
    private final Timer loadSuccess;
    private final Timer loadNull;
    private final Timer loadFailure;

    public CacheMetrics(MeterRegistry registry, String cache) {
        for (int i = 0; i < GETS.length; i++) {
            int outcome = i;
            Tags tags = Tags.of("cache", cache, "level", GETS[i][0], "result", GETS[i][1]);
            // A registry keeps the first function counter of an id and ignores the next: a node reopened on the
            // registry of a closed one replaces the old node's meter, so that it does not read the old cells forever.
            Meter old = registry.find("cache.gets").tags(tags).meter();
            if (old != null) {
                registry.remove(old);
            }
            FunctionCounter.builder("cache.gets", gets, g -> g.sum(outcome)).tags(tags).register(registry);
        }
        evictions = Counter.builder("cache.evictions").tag("cache", cache).tag("level", "l1").register(registry);
        refreshes = Counter.builder("cache.refreshes").tag("cache", cache).register(registry);
        lockAcquired = lock(registry, cache, "acquired");
        lockWaited = lock(registry, cache, "waited");
        lockStale = lock(registry, cache, "stale");
        lockTimeout = lock(registry, cache, "timeout");
        localResets = Counter.builder("cache.local.resets").tag("cache", cache).register(registry);
        loadSuccess = load(registry, cache, "success");
        loadNull = load(registry, cache, "null");
        loadFailure = load(registry, cache, "failure");
    }

    /** Records one loader call that took {@code nanos}: found a value, found nothing, or threw. */
    public void load(long nanos, boolean found, boolean failed) {
        (failed ? loadFailure : found ? loadSuccess : loadNull).record(nanos, TimeUnit.NANOSECONDS);
    }

    private static Counter lock(MeterRegistry registry, String cache, String result) {
        return Counter.builder("cache.lock").tag("cache", cache).tag("result", result).register(registry);
    }

    private static Timer load(MeterRegistry registry, String cache, String result) {
        return Timer.builder("cache.loads").tag("cache", cache).tag("result", result).register(registry);
    }
}
