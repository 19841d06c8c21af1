package dev.weft.cache;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import dev.weft.http.ConfigException;
import dev.weft.http.config.Problems;

/**
 * One cache's immutable configuration. Start from {@link #defaults(String)} and change fields with
 * {@link #toBuilder()}; {@link #validate()} lists every problem at once, each naming its field, and
 * {@link dev.weft.cache.Caches#cache} refuses an invalid one with a {@link ConfigException}. The module README gives
 * the reason for each default.
 *
 * @param name             the cache's name: the second part of every Redis key, a metrics tag
 * @param version          the value format's version: the third part of every key; bump it when the value's shape
 *                         changes, and the old entries are simply never read again (they expire on their own)
 * @param localMaxEntries  how many entries the in-process level (L1) holds at most; 0 turns L1 off
 * @param localTtl         how long an entry may live in L1; it also bounds the staleness of a node that missed an
 *                         invalidation message
 * @param ttl              the base time-to-live of an entry in Redis (L2)
 * @param ttlJitter        the width of the uniform random offset added to {@code ttl}, so that keys written together
 *                         do not expire together
 * @param nullTtl          the time-to-live of the null marker stored when the loader finds nothing
 * @param staleGrace       how long Redis keeps an entry after it stops being fresh, so that while one node reloads
 *                         it under the cross-node lock, the others can serve the stale value instead of waiting
 * @param crossNodeLock    whether a miss takes a short Redis lock ({@code SET NX PX}) so that one node loads a key
 *                         while the others wait for its result
 * @param lockLease        how long the lock lives if its holder dies; longer than the slowest expected load
 * @param lockWait         how long a node without the lock waits for the holder's result before loading itself
 * @param earlyRefreshBeta XFetch's beta: larger refreshes earlier; 0 turns early refresh off
 */
public record CacheConfig(
        String name,
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

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** The defaults for a cache called {@code name}; see the module README for the reason behind each. */
    public static CacheConfig defaults(String name) {
        return new CacheConfig(
                name,
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

    /** Every problem with this configuration, each as {@code cache.<name>.<field>: what is wrong}; empty if valid. */
    public List<String> validate() {
        Problems problems = new Problems();
        String at = "cache." + (name == null ? "" : name + ".");
        problems.matches(at + "name", name, NAME, "1 to 64 characters of A-Z a-z 0-9 _ . -");
        problems.atLeast(at + "version", version, 1);
        problems.notNegative(at + "localMaxEntries", localMaxEntries);
        problems.positive(at + "localTtl", localTtl);
        problems.positive(at + "ttl", ttl);
        problems.notNegative(at + "ttlJitter", ttlJitter);
        problems.positive(at + "nullTtl", nullTtl);
        problems.notNegative(at + "staleGrace", staleGrace);
        problems.positive(at + "lockLease", lockLease);
        problems.notNegative(at + "lockWait", lockWait);
        if (lockLease != null && lockWait != null && crossNodeLock && lockWait.compareTo(lockLease) > 0) {
            problems.add(at + "lockWait: must not exceed lockLease (" + lockLease + "), was " + lockWait);
        }
        if (!(earlyRefreshBeta >= 0 && earlyRefreshBeta <= 10)) {
            problems.add(at + "earlyRefreshBeta: must be between 0 (off) and 10, was " + earlyRefreshBeta);
        }
        return problems.list();
    }

    /** Returns this configuration, or throws a {@link ConfigException} listing every problem. */
    public CacheConfig requireValid() {
        Problems.throwIfAny(validate());
        return this;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A mutable copy of a configuration; {@link #build()} makes the record (unvalidated). */
    public static final class Builder {
        private String name;
        private int version;
        private long localMaxEntries;
        private Duration localTtl;
        private Duration ttl;
        private Duration ttlJitter;
        private Duration nullTtl;
        private Duration staleGrace;
        private boolean crossNodeLock;
        private Duration lockLease;
        private Duration lockWait;
        private double earlyRefreshBeta;

        private Builder(CacheConfig c) {
            name = c.name;
            version = c.version;
            localMaxEntries = c.localMaxEntries;
            localTtl = c.localTtl;
            ttl = c.ttl;
            ttlJitter = c.ttlJitter;
            nullTtl = c.nullTtl;
            staleGrace = c.staleGrace;
            crossNodeLock = c.crossNodeLock;
            lockLease = c.lockLease;
            lockWait = c.lockWait;
            earlyRefreshBeta = c.earlyRefreshBeta;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder version(int v) { version = v; return this; }
        public Builder localMaxEntries(long v) { localMaxEntries = v; return this; }
        public Builder localTtl(Duration v) { localTtl = v; return this; }
        public Builder ttl(Duration v) { ttl = v; return this; }
        public Builder ttlJitter(Duration v) { ttlJitter = v; return this; }
        public Builder nullTtl(Duration v) { nullTtl = v; return this; }
        public Builder staleGrace(Duration v) { staleGrace = v; return this; }
        public Builder crossNodeLock(boolean v) { crossNodeLock = v; return this; }
        public Builder lockLease(Duration v) { lockLease = v; return this; }
        public Builder lockWait(Duration v) { lockWait = v; return this; }
        public Builder earlyRefreshBeta(double v) { earlyRefreshBeta = v; return this; }

        public CacheConfig build() {
            return new CacheConfig(name, version, localMaxEntries, localTtl, ttl, ttlJitter, nullTtl, staleGrace,
                    crossNodeLock, lockLease, lockWait, earlyRefreshBeta);
        }
    }
}
