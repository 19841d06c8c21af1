package dev.weft.cache;

import static dev.weft.cache.metrics.CacheMetrics.BLOOM_REJECTED;
import static dev.weft.cache.metrics.CacheMetrics.L1_HIT;
import static dev.weft.cache.metrics.CacheMetrics.L1_MISS;
import static dev.weft.cache.metrics.CacheMetrics.L1_NULL_HIT;
import static dev.weft.cache.metrics.CacheMetrics.L2_HIT;
import static dev.weft.cache.metrics.CacheMetrics.L2_MISS;
import static dev.weft.cache.metrics.CacheMetrics.L2_NULL_HIT;
import static dev.weft.cache.metrics.CacheMetrics.L2_STALE;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.cache.codec.EntryFormat;
import dev.weft.cache.codec.KeyCodec;
import dev.weft.cache.local.BloomFilter;
import dev.weft.cache.local.LocalCache;
import dev.weft.cache.local.SingleFlight;
import dev.weft.cache.metrics.CacheMetrics;
import dev.weft.cache.metrics.ThreadCounts;
import dev.weft.cache.redis.CircuitBreaker;
import dev.weft.cache.redis.InvalidationBus;
import dev.weft.cache.redis.RedisStore;

/**
 * The {@link Cache} implementation: the read path L1, L2, loader, with every protection wired in order. Read
 * {@link #get} top to bottom to follow a request.
 *
 * <p><b>Why a generation counter.</b> A read that fetched an entry from L2 must not put it into L1 if an
 * invalidation for the cache arrived meanwhile (the entry may be the old value the message was about). Every
 * invalidation and reset bumps {@code generation}; a read fills L1 only if the generation it saw before going to
 * Redis is still current. Cheap, and errs on the side of not caching.
 *
 * <p><b>Without Redis</b> (local mode) {@code redis} and {@code bus} are {@code null}: every L2 step and
 * every message is skipped, L1 is always usable, and an L1 entry lives for its full jittered TTL, since no other
 * node can change it behind this one's back. The read path is otherwise the same code.
 */
final class TieredCache<K, V> implements Cache<K, V> {
    private static final Logger log = LoggerFactory.getLogger(TieredCache.class);
    /** {@code -ln(u) > 36} has probability {@code e^-36 < 3e-16}: beyond that gap, XFetch never fires. */
    private static final double XFETCH_CUTOFF = 36;
    private static final long LOCK_POLL_NANOS = 10_000_000;

    private final String name;
    private final CacheConfig config;
    private final KeyCodec<K> keys;
    private final EntryFormat<V> format;
    /** {@code null}, with {@code bus}, when there is no L2. */
    private final RedisStore redis;
    private final InvalidationBus bus;
    /** {@code null} when the cache has no L1 ({@code localMaxEntries} 0). */
    private final LocalCache<K, V> local;
    /**
     * {@code local}'s Caffeine map while this node may read and fill L1, else {@code null} ({@link #useLocal}). A hit
     * loads this one field to learn both whether there is an L1 and whether it may be used, instead of asking the bus
     * and the breaker on every read, and looks the key up in Caffeine directly, not through {@code local}: one load
     * and one dependent load fewer than before (module README, Numbers).
     */
    private volatile com.github.benmanes.caffeine.cache.Cache<K, LocalCache.Slot<V>> usableMap;
    private final BloomFilter knownKeys;
    private final CacheMetrics metrics;
    /**
     * {@code metrics.gets}, held here as well: a hit reaches its thread's cell with one dependent load fewer, which
     * measured 0.4 ns of a 6.5 ns hit (module README, Numbers).
     */
    private final ThreadCounts gets;
    /** Epoch milliseconds for expiry; the node's (a {@code CoarseClock} unless the caller gave one). */
    private final InstantSource clock;
    private final String keyPrefix;
    private final String lockPrefix;
    private final SingleFlight<K, Entry<V>> loads = new SingleFlight<>();
    private final Set<K> refreshing = ConcurrentHashMap.newKeySet();
    private final AtomicLong generation = new AtomicLong();
    private final long ttlMillis;
    private final long jitterMillis;
    private final long nullTtlMillis;
    private final long graceMillis;

    TieredCache(String name, CacheConfig config, KeyCodec<K> keys, EntryFormat<V> format, RedisStore redis,
                InvalidationBus bus, BloomFilter knownKeys, CacheMetrics metrics, InstantSource clock) {
        this.name = name;
        this.config = config;
        this.keys = keys;
        this.format = format;
        this.redis = redis;
        this.bus = bus;
        this.knownKeys = knownKeys;
        this.metrics = metrics;
        this.gets = metrics.gets;
        this.clock = clock;
        this.local = config.localMaxEntries() == 0 ? null
                : new LocalCache<>(config.localMaxEntries(),
                        redis == null ? config.ttl().plus(config.ttlJitter()) : config.localTtl(),
                        (long) Math.ceil(config.earlyRefreshBeta() * XFETCH_CUTOFF), metrics.evictions);
        this.usableMap = redis == null && local != null ? local.map() : null;
        String prefix = redis == null ? "" : redis.config().keyPrefix();
        this.keyPrefix = prefix + ":" + name + ":v" + config.version() + ":";
        this.lockPrefix = prefix + ":" + name + ":lock:v" + config.version() + ":";
        this.ttlMillis = config.ttl().toMillis();
        this.jitterMillis = config.ttlJitter().toMillis();
        this.nullTtlMillis = config.nullTtl().toMillis();
        this.graceMillis = config.staleGrace().toMillis();
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The L1 hit is the whole of this method: one field read that says whether L1 may be used, the look-up, a clock
     * read, one comparison, a per-thread count. Everything else a read may need has a method of its own, called from
     * here: no usable L1 ({@link #getMissed}), an L1 miss ({@link #getMissedInL1}), a hit on an entry near its end
     * ({@link #getNearEnd}). Kept this small so that it compiles into its caller; its budget is twice a bare Caffeine
     * {@code getIfPresent} (module README, Numbers). A value and a null marker are counted on two branches, each with
     * a constant counter, so that where the count goes does not wait for the value to be loaded.
     */
    @Override
    public V get(K key, Loader<? super K, ? extends V> loader) {
        Objects.requireNonNull(key, "key");
        com.github.benmanes.caffeine.cache.Cache<K, LocalCache.Slot<V>> l1 = usableMap;
        if (l1 == null) {
            return getMissed(key, loader);
        }
        LocalCache.Slot<V> hit = l1.getIfPresent(key);
        if (hit == null) {
            return getMissedInL1(key, loader);
        }
        long now = clock.millis();
        if (now >= hit.quietUntil()) {
            return getNearEnd(key, hit, loader, now);
        }
        V value = hit.value();
        if (value == null) {
            gets.increment(L1_NULL_HIT);
            return null;
        }
        gets.increment(L1_HIT);
        return value;
    }

    /**
     * An L1 hit at or past its slot's quiet time: the L1 copy may have gone bad (then it is a miss), or early refresh
     * may be due.
     */
    private V getNearEnd(K key, LocalCache.Slot<V> hit, Loader<? super K, ? extends V> loader, long now) {
        if (now >= hit.goodUntil()) {
            local.remove(key, hit);
            return getMissedInL1(key, loader);
        }
        V value = hit.value();
        gets.increment(value == null ? L1_NULL_HIT : L1_HIT);
        maybeRefreshEarly(key, hit.entry(), loader, now);
        return value;
    }

    private V getMissedInL1(K key, Loader<? super K, ? extends V> loader) {
        gets.increment(L1_MISS);
        return getMissed(key, loader);
    }

    /** A read that L1 did not answer: the Bloom filter, then one fetch per key at a time in this JVM. */
    private V getMissed(K key, Loader<? super K, ? extends V> loader) {
        String text = keys.encode(key);
        if (knownKeys != null && !knownKeys.mightContain(text)) {
            gets.increment(BLOOM_REJECTED);
            return null;
        }
        return loads.run(key, () -> fetch(key, text, loader)).value();
    }

    /** L2, then (under the cross-node lock, if configured) the loader. Runs once per key at a time in this JVM. */
    private Entry<V> fetch(K key, String text, Loader<? super K, ? extends V> loader) {
        long gen = generation.get();
        if (redis == null) {
            return loadAndStore(key, null, loader, gen);
        }
        byte[] redisKey = redisKey(text);
        Entry<V> found = format.decode(redis.get(redisKey));
        long now = clock.millis();
        if (found != null && found.isFresh(now)) {
            gets.increment(found.isNull() ? L2_NULL_HIT : L2_HIT);
            fillLocal(key, found, gen);
            maybeRefreshEarly(key, found, loader, now);
            return found;
        }
        gets.increment(found == null ? L2_MISS : L2_STALE);
        if (!config.crossNodeLock()) {
            return loadAndStore(key, redisKey, loader, gen);
        }
        return loadUnderLock(key, text, redisKey, found, loader, gen);
    }

    /**
     * One node loads; the others serve the stale entry if there is one, else poll L2 for the holder's result for up
     * to {@code lockWait}, then load themselves (a slow or dead holder never fails a read). A node that takes the
     * lock reads L2 once more first, and serves a result stored since its miss (counted as waited). If Redis is in trouble
     * the lock cannot be had, and each node loads on its own.
     */
    private Entry<V> loadUnderLock(K key, String text, byte[] redisKey, Entry<V> stale,
                                   Loader<? super K, ? extends V> loader, long gen) {
        byte[] lockKey = lockKey(text);
        byte[] token = lockToken();
        if (redis.tryLock(lockKey, token, config.lockLease().toMillis())) {
            try {
                // The holder before this node may have stored its result and released the lock between this
                // node's miss and its lock: one more GET, so that the key is not loaded twice.
                Entry<V> stored = othersResult(key, redisKey, gen);
                if (stored != null) {
                    return stored;
                }
                metrics.lockAcquired.increment();
                return loadAndStore(key, redisKey, loader, gen);
            } finally {
                redis.unlock(lockKey, token);
            }
        }
        if (redis.breaker().state() != CircuitBreaker.State.CLOSED) {
            return loadAndStore(key, redisKey, loader, gen);
        }
        if (stale != null) {
            metrics.lockStale.increment();
            return stale;
        }
        long deadline = System.nanoTime() + config.lockWait().toNanos();
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(Math.min(left, LOCK_POLL_NANOS));
            Entry<V> result = othersResult(key, redisKey, gen);
            if (result != null) {
                return result;
            }
        }
        metrics.lockTimeout.increment();
        return loadAndStore(key, redisKey, loader, gen);
    }

    /** A fresh result another node stored in L2, put in L1 and counted as waited for; null when there is none. */
    private Entry<V> othersResult(K key, byte[] redisKey, long gen) {
        Entry<V> stored = format.decode(redis.get(redisKey));
        if (stored == null || !stored.isFresh(clock.millis())) {
            return null;
        }
        metrics.lockWaited.increment();
        fillLocal(key, stored, gen);
        return stored;
    }

    private Entry<V> loadAndStore(K key, byte[] redisKey, Loader<? super K, ? extends V> loader, long gen) {
        long start = System.nanoTime();
        V value;
        try {
            value = loader.load(key);
        } catch (Exception e) {
            metrics.load(System.nanoTime() - start, false, true);
            throw new CacheLoadException(name, key, e);
        }
        long took = System.nanoTime() - start;
        metrics.load(took, value != null, false);
        Entry<V> entry = newEntry(value, took);
        if (value == null && nullTtlMillis == 0) {
            forget(key, redisKey);
            return entry;
        }
        if (redis != null) {
            redis.set(redisKey, format.encode(entry), redisTtl(entry));
        }
        fillLocal(key, entry, gen);
        return entry;
    }

    /**
     * With null caching off ({@code nullTtl} 0), a load that found nothing leaves nothing behind: no null marker,
     * and not the stale value it was reloading either (in L2 another node could serve it under the lock). The
     * {@code UNLINK} costs the round trip the marker's {@code SET} would have.
     */
    private void forget(K key, byte[] redisKey) {
        if (local != null) {
            local.invalidate(key);
        }
        if (redisKey != null) {
            redis.delete(redisKey);
        }
    }

    /**
     * XFetch (Vattani, Chierichetti and Lowenstein, VLDB 2015): refresh early when
     * {@code now - delta * beta * ln(u) >= expiry}, with {@code u} uniform in (0, 1] and {@code delta} the time the
     * last computation took. The chance rises as expiry nears and with the cost of recomputing, so a hot key is
     * reloaded by about one reader shortly before it expires, and the others never see it missing. The reload runs
     * on its own virtual thread; the reader returns the current value at once.
     */
    private void maybeRefreshEarly(K key, Entry<V> entry, Loader<? super K, ? extends V> loader, long now) {
        if (config.earlyRefreshBeta() == 0 || entry.isNull() || entry.computeMillis() == 0) {
            return;
        }
        long left = entry.freshUntil() - now;
        double gap = entry.computeMillis() * config.earlyRefreshBeta();
        if (left > gap * XFETCH_CUTOFF) {
            return;
        }
        double u = 1.0 - ThreadLocalRandom.current().nextDouble();
        if (-gap * Math.log(u) < left) {
            return;
        }
        if (refreshing.add(key)) {
            metrics.refreshes.increment();
            Thread.ofVirtual().name("weft-cache-refresh").start(() -> refresh(key, loader));
        }
    }

    private void refresh(K key, Loader<? super K, ? extends V> loader) {
        try {
            if (redis == null) {
                loadAndStore(key, null, loader, generation.get());
                return;
            }
            String text = keys.encode(key);
            byte[] redisKey = redisKey(text);
            long gen = generation.get();
            if (!config.crossNodeLock()) {
                loadAndStore(key, redisKey, loader, gen);
            } else {
                byte[] lockKey = lockKey(text);
                byte[] token = lockToken();
                if (!redis.tryLock(lockKey, token, config.lockLease().toMillis())) {
                    return;
                }
                try {
                    loadAndStore(key, redisKey, loader, gen);
                } finally {
                    redis.unlock(lockKey, token);
                }
            }
            publish(text);
        } catch (RuntimeException e) {
            log.debug("Early refresh of {} in cache {} failed; the current entry stays", key, name, e);
        } finally {
            refreshing.remove(key);
        }
    }

    @Override
    public Map<K, V> getAll(Collection<? extends K> requested, BulkLoader<K, V> bulkLoader) {
        Map<K, Entry<V>> found = new LinkedHashMap<>();
        List<K> fromRedis = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        boolean useLocal = usableMap != null;
        long now = clock.millis();
        for (K key : requested) {
            Objects.requireNonNull(key, "key");
            found.put(key, null);
            LocalCache.Slot<V> slot = useLocal ? local.get(key, now) : null;
            Entry<V> hit = slot == null ? null : slot.entry();
            if (hit != null) {
                gets.increment(hit.isNull() ? L1_NULL_HIT : L1_HIT);
                found.put(key, hit);
                continue;
            }
            if (useLocal) {
                gets.increment(L1_MISS);
            }
            String text = keys.encode(key);
            if (knownKeys != null && !knownKeys.mightContain(text)) {
                gets.increment(BLOOM_REJECTED);
                continue;
            }
            fromRedis.add(key);
            texts.add(text);
        }
        if (!fromRedis.isEmpty()) {
            fetchAll(fromRedis, texts, bulkLoader, found);
        }
        Map<K, V> values = new LinkedHashMap<>();
        found.forEach((key, entry) -> {
            if (entry != null && !entry.isNull()) {
                values.put(key, entry.value());
            }
        });
        return values;
    }

    private void fetchAll(List<K> keysToFetch, List<String> texts, BulkLoader<K, V> bulkLoader,
                          Map<K, Entry<V>> found) {
        long gen = generation.get();
        List<byte[]> redisKeys = null;
        List<byte[]> raw = null;
        if (redis != null) {
            redisKeys = new ArrayList<>(texts.size());
            for (String text : texts) {
                redisKeys.add(redisKey(text));
            }
            raw = redis.getAll(redisKeys);
        }
        long now = clock.millis();
        Set<K> toLoad = new HashSet<>();
        List<Integer> toLoadIndex = new ArrayList<>();
        for (int i = 0; i < keysToFetch.size(); i++) {
            K key = keysToFetch.get(i);
            if (raw == null) {
                toLoad.add(key);
                toLoadIndex.add(i);
                continue;
            }
            Entry<V> entry = format.decode(raw.get(i));
            if (entry != null && entry.isFresh(now)) {
                gets.increment(entry.isNull() ? L2_NULL_HIT : L2_HIT);
                fillLocal(key, entry, gen);
                found.put(key, entry);
            } else {
                gets.increment(entry == null ? L2_MISS : L2_STALE);
                toLoad.add(key);
                toLoadIndex.add(i);
            }
        }
        if (toLoad.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        Map<K, V> loaded;
        try {
            loaded = bulkLoader.loadAll(Set.copyOf(toLoad));
        } catch (Exception e) {
            metrics.load(System.nanoTime() - start, false, true);
            throw new CacheLoadException(name, toLoad, e);
        }
        long took = System.nanoTime() - start;
        metrics.load(took, loaded != null && !loaded.isEmpty(), false);
        List<byte[]> writeKeys = new ArrayList<>(toLoadIndex.size());
        List<byte[]> writeValues = new ArrayList<>(toLoadIndex.size());
        long[] ttls = new long[toLoadIndex.size()];
        for (int j = 0; j < toLoadIndex.size(); j++) {
            int i = toLoadIndex.get(j);
            K key = keysToFetch.get(i);
            Entry<V> entry = newEntry(loaded == null ? null : loaded.get(key), took);
            found.put(key, entry);
            if (entry.isNull() && nullTtlMillis == 0) {
                if (raw != null && raw.get(i) != null) {
                    redis.delete(redisKeys.get(i));
                }
                continue;
            }
            fillLocal(key, entry, gen);
            if (redisKeys != null) {
                ttls[writeKeys.size()] = redisTtl(entry);
                writeKeys.add(redisKeys.get(i));
                writeValues.add(format.encode(entry));
            }
        }
        if (redisKeys != null && !writeKeys.isEmpty()) {
            redis.setAll(writeKeys, writeValues, ttls);
        }
    }

    @Override
    public void put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value (use invalidate to remove a key)");
        String text = keys.encode(key);
        if (knownKeys != null) {
            knownKeys.add(text);
        }
        Entry<V> entry = newEntry(value, 0);
        generation.incrementAndGet();
        if (redis != null) {
            redis.set(redisKey(text), format.encode(entry), redisTtl(entry));
        }
        if (local != null) {
            local.put(key, entry, clock.millis());
        }
        publish(text);
    }

    @Override
    public void invalidate(K key) {
        Objects.requireNonNull(key, "key");
        String text = keys.encode(key);
        generation.incrementAndGet();
        if (local != null) {
            local.invalidate(key);
        }
        if (redis != null) {
            redis.delete(redisKey(text));
        }
        publish(text);
    }

    @Override
    public void invalidateAll() {
        generation.incrementAndGet();
        if (local != null) {
            local.clear();
        }
        if (redis != null) {
            redis.deleteMatching(keyPrefix + "*");
        }
        publish(null);
    }

    /** Tells the other nodes that {@code keyText} ({@code null}: everything) changed; without Redis there are none. */
    private void publish(String keyText) {
        if (bus != null) {
            bus.publish(name, keyText);
        }
    }

    /** Another node changed {@code keyText} ({@code null}: everything); drop it from L1. */
    void invalidatedElsewhere(String keyText) {
        generation.incrementAndGet();
        if (local == null) {
            return;
        }
        if (keyText == null) {
            local.clear();
            return;
        }
        K key;
        try {
            key = keys.decode(keyText);
        } catch (RuntimeException e) {
            local.clear();
            return;
        }
        local.invalidate(key);
    }

    /** Invalidation messages may have been missed: forget all of L1. */
    void resetLocal() {
        generation.incrementAndGet();
        if (local != null) {
            local.clear();
            metrics.localResets.increment();
        }
    }

    /** The Redis key of {@code keyText}: {@code <prefix>:<cache>:v<version>:<key>}. */
    String redisKeyText(String keyText) {
        return keyPrefix + keyText;
    }

    private byte[] redisKey(String keyText) {
        return redisKeyText(keyText).getBytes(StandardCharsets.UTF_8);
    }

    /** The reload lock of {@code keyText}: {@code <prefix>:<cache>:lock:v<version>:<key>}, outside the data keys. */
    private byte[] lockKey(String keyText) {
        return (lockPrefix + keyText).getBytes(StandardCharsets.UTF_8);
    }

    /** A random token, so that only the holder can release its lock (and not one that expired and was retaken). */
    private static byte[] lockToken() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong()).getBytes(StandardCharsets.UTF_8);
    }

    private Entry<V> newEntry(V value, long computeNanos) {
        long life = value == null ? nullTtlMillis
                : ttlMillis + (jitterMillis == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitterMillis + 1));
        int computeMillis = computeNanos == 0 ? 0 : (int) Math.min(Integer.MAX_VALUE,
                Math.max(1, (computeNanos + 999_999) / 1_000_000));
        return new Entry<>(value, clock.millis() + life, computeMillis);
    }

    /** How long Redis keeps an entry: its fresh life, plus the stale grace for values (null markers need none). */
    private long redisTtl(Entry<V> entry) {
        long left = Math.max(1, entry.freshUntil() - clock.millis());
        return entry.isNull() ? left : left + graceMillis;
    }

    /**
     * Whether L1 may be read and filled from now on ({@code Caches} decides: in short, while this node receives
     * invalidations or Redis is unreachable altogether). Without Redis L1 is always usable, and this is not called.
     */
    void useLocal(boolean usable) {
        usableMap = usable && local != null ? local.map() : null;
    }

    private void fillLocal(K key, Entry<V> entry, long gen) {
        if (usableMap != null && generation.get() == gen) {
            local.put(key, entry, clock.millis());
        }
    }
}
