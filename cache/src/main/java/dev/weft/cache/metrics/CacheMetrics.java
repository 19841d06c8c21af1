package dev.weft.cache.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 */
public final class CacheMetrics {
    public final Counter l1Hit;
    public final Counter l1NullHit;
    public final Counter l1Miss;
    public final Counter l2Hit;
    public final Counter l2NullHit;
    public final Counter l2Miss;
    public final Counter l2Stale;
    public final Counter bloomRejected;
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
        l1Hit = get(registry, cache, "l1", "hit");
        l1NullHit = get(registry, cache, "l1", "null_hit");
        l1Miss = get(registry, cache, "l1", "miss");
        l2Hit = get(registry, cache, "l2", "hit");
        l2NullHit = get(registry, cache, "l2", "null_hit");
        l2Miss = get(registry, cache, "l2", "miss");
        l2Stale = get(registry, cache, "l2", "stale");
        bloomRejected = get(registry, cache, "bloom", "rejected");
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

    private static Counter get(MeterRegistry registry, String cache, String level, String result) {
        return Counter.builder("cache.gets").tag("cache", cache).tag("level", level).tag("result", result)
                .register(registry);
    }

    private static Counter lock(MeterRegistry registry, String cache, String result) {
        return Counter.builder("cache.lock").tag("cache", cache).tag("result", result).register(registry);
    }

    private static Timer load(MeterRegistry registry, String cache, String result) {
        return Timer.builder("cache.loads").tag("cache", cache).tag("result", result).register(registry);
    }
}
