package dev.weft.cache;

import java.time.Duration;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;

/**
 * One cache's immutable configuration: an entry of {@code cache.caches}, named by its key there
 * ({@code caches: {products: {ttl: 10m}}}); the name is not part of the record, it is what the service passes to
 * {@link Caches#cache}. Read it with {@link #from(ConfigSection)}; {@link #defaults()} is what a cache the section
 * does not name gets. The service README gives the reason for each default.
 *
 * @param version          the value format's version: the third part of every key; bump it when the value's shape
 *                         changes, and the old entries are simply never read again (they expire on their own)
 * @param localMaxEntries  how many entries the in-process level (L1) holds at most; 0 turns L1 off
 * @param localTtl         how long an entry may live in L1; it also bounds the staleness of a node that missed an
 *                         invalidation message (Redis mode only: without Redis an entry lives its {@code ttl})
 * @param ttl              the base time-to-live of an entry in Redis (L2), or in L1 without Redis
 * @param ttlJitter        the width of the uniform random offset added to {@code ttl}, so that keys written together
 *                         do not expire together
 * @param nullTtl          the time-to-live of the null marker stored when the loader finds nothing; 0 turns null
 *                         caching off: a lookup that finds nothing is not remembered, and the next one loads again
 * @param staleGrace       how long Redis keeps an entry after it stops being fresh, so that while one node reloads
 *                         it under the cross-node lock, the others can serve the stale value instead of waiting
 * @param crossNodeLock    whether a miss takes a short Redis lock ({@code SET NX PX}) so that one node loads a key
 *                         while the others wait for its result
 * @param lockLease        how long the lock lives if its holder dies; longer than the slowest expected load
 * @param lockWait         how long a node without the lock waits for the holder's result before loading itself
 * @param earlyRefreshBeta XFetch's beta: larger refreshes earlier; 0 turns early refresh off
 */
public record CacheConfig(
        int version,
        long localMaxEntries,
        Duration localTtl,
        Duration ttl,
        Duration ttlJitter,
        Duration nullTtl,
        Duration staleGrace,
        boolean crossNodeLock,
        Duration lockLease,
        Duration lockWait,
        double earlyRefreshBeta) {

    /** The defaults; the service README gives the reason for each. */
    public static CacheConfig defaults() {
        return new CacheConfig(
                1,
                10_000,
                Duration.ofSeconds(60),
                Duration.ofMinutes(10),
                Duration.ofMinutes(5),
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                false,
                Duration.ofSeconds(5),
                Duration.ofMillis(500),
                1.0);
    }

    /**
     * Reads one entry of {@code cache.caches}: every key is named as the record's component, and an absent one keeps
     * its default. Problems go to the section's tree, validation included.
     */
    public static CacheConfig from(ConfigSection s) {
        // Spelt out rather than read by reflection (ConfigSection.read): this runs before a service binds.
        CacheConfig d = defaults();
        CacheConfig c = new CacheConfig(
                s.integer("version", d.version),
                s.longValue("localMaxEntries", d.localMaxEntries),
                s.duration("localTtl", d.localTtl),
                s.duration("ttl", d.ttl),
                s.duration("ttlJitter", d.ttlJitter),
                s.duration("nullTtl", d.nullTtl),
                s.duration("staleGrace", d.staleGrace),
                s.bool("crossNodeLock", d.crossNodeLock),
                s.duration("lockLease", d.lockLease),
                s.duration("lockWait", d.lockWait),
                s.decimal("earlyRefreshBeta", d.earlyRefreshBeta));
        c.validate(s.path(), s.problems());
        return c;
    }

    /**
     * Adds every problem with this configuration to {@code problems}, each under {@code path}
     * ({@code cache.caches.products}).
     */
    public void validate(String path, Problems problems) {
        String p = path.isEmpty() ? "" : path + ".";
        problems.atLeast(p + "version", version, 1);
        problems.notNegative(p + "localMaxEntries", localMaxEntries);
        problems.positive(p + "localTtl", localTtl);
        problems.positive(p + "ttl", ttl);
        problems.notNegative(p + "ttlJitter", ttlJitter);
        problems.notNegative(p + "nullTtl", nullTtl);
        problems.notNegative(p + "staleGrace", staleGrace);
        problems.positive(p + "lockLease", lockLease);
        problems.notNegative(p + "lockWait", lockWait);
        if (crossNodeLock) {
            problems.notLongerThan(p + "lockWait", lockWait, p + "lockLease", lockLease);
        }
        problems.between(p + "earlyRefreshBeta", earlyRefreshBeta, 0, 10);
    }
}
