package dev.weft.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.weft.cache.codec.KeyCodec;
import dev.weft.cache.redis.CircuitBreaker;
import dev.weft.testkit.RedisTopology;
import dev.weft.testkit.Services;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A primary killed with SIGKILL under a steady read load, on two nodes whose loader reads a real PostgreSQL table.
 *
 * <p>The load: eight virtual threads, four per node, each reading a random one of 40 items every 20 ms (about 400
 * reads a second), from a cache without L1 ({@code localMaxEntries: 0}), so that every read goes to Redis or, when
 * Redis fails, to the table. The primary that is killed holds every item's key and a node's invalidation
 * subscription. Every read must return the table's value; the breaker must open, and close again once the replica
 * has been promoted; afterwards the nodes must be healthy, read from the new primary without loading, have
 * resubscribed, and hear each other's writes through the new primary.
 */
final class FailoverUnderLoad {
    private static final int ITEMS = 40;
    private static final int READERS = 8;
    private static final long PACE_NANOS = Duration.ofMillis(20).toNanos();

    private final RedisTopology topology;
    private final String prefix;

    FailoverUnderLoad(RedisTopology topology, String prefix) {
        this.topology = topology;
        this.prefix = prefix;
    }

    /** What was measured, in milliseconds from the kill. */
    record Result(long reads, long readsDuringOutage, long loadsDuringOutage, long firstLoad, long lastLoad,
                  long breakerOpened, long promoted, long breakerClosed, long slowestReadMillis, long redisErrors) {
        @Override
        public String toString() {
            return ("%d reads, %d of them between the kill and the breaker closing, %d loads from PostgreSQL; from the"
                    + " kill: breaker open at %d ms, replica promoted at %d ms, breaker closed at %d ms (open %d ms);"
                    + " reads went to the loader from %d ms to %d ms (%d ms); slowest read %d ms; %d Redis errors")
                    .formatted(reads, readsDuringOutage, loadsDuringOutage, breakerOpened, promoted, breakerClosed,
                            breakerClosed - breakerOpened, firstLoad, lastLoad, lastLoad - firstLoad,
                            slowestReadMillis, redisErrors);
        }
    }

    Result run() throws Exception {
        Services.requirePostgres();
        CachesConfig config = RedisTopologyTest.config(topology, prefix, """
                redis: {timeout: 500ms, breakerOpenFor: 500ms, heartbeat: 200ms}
                caches:
                  items: {localMaxEntries: 0}
                """);
        SimpleMeterRegistry registryA = new SimpleMeterRegistry();
        SimpleMeterRegistry registryB = new SimpleMeterRegistry();
        try (Caches a = Caches.open(config, registryA); Caches b = Caches.open(config, registryB)) {
            RedisFixture.awaitSubscribed(a);
            RedisFixture.awaitSubscribed(b);
            // The primary to kill holds a node's invalidation subscription (in a cluster, the one of the three
            // primaries where a subscriber is), and every item's key.
            String victim = topology.primaries().stream().filter(this::holdsASubscriber).findFirst()
                    .orElseThrow(() -> new AssertionError("no primary holds a subscriber"));
            List<Long> ids = new ArrayList<>();
            List<int[]> slots = topology.kind() == RedisTopology.Kind.CLUSTER ? topology.slotsOf(victim) : null;
            for (long id = 0; ids.size() < ITEMS; id++) {
                if (slots == null || servedBy(slots, key("items", id))) {
                    ids.add(id);
                }
            }
            String replica = topology.replicaOf(victim);
            try (Items table = new Items(ids)) {
                return killUnderLoad(a, b, registryA, registryB, victim, replica, ids, table);
            }
        }
    }

    private Result killUnderLoad(Caches a, Caches b, SimpleMeterRegistry registryA, SimpleMeterRegistry registryB,
                                 String victim, String replica, List<Long> ids, Items table) throws Exception {
        List<Cache<Long, String>> items = List.of(a.cache("items", KeyCodec.longs(), String.class),
                b.cache("items", KeyCodec.longs(), String.class));
        for (long id : ids) {
            for (Cache<Long, String> cache : items) {
                assertEquals(table.expected(id), cache.get(id, table::load));
            }
        }
        assertEquals(ITEMS, table.loads.get(), "node B read every item from Redis");
        RedisTopologyTest.await("the replica to hold every item", Duration.ofSeconds(10),
                () -> topology.cli(replica, "--scan", "--pattern", prefix + ":items:*").lines().count() == ITEMS);

        Load load = new Load(items, ids, table);
        BreakerWatch watch = new BreakerWatch(List.of(a, b));
        try {
            RedisTopologyTest.await("the load to be under way", Duration.ofSeconds(10), () -> load.reads.get() > 200);
            int loadsBefore = table.loads.get();
            long readsBefore = load.reads.get();
            double lostBefore = lost(registryA) + lost(registryB);

            long killed = System.nanoTime();
            table.killedAt = killed;
            topology.kill(victim);
            RedisTopologyTest.await("the breaker to open", Duration.ofSeconds(15), () -> watch.openedAt.get() != 0);
            String promoted = topology.awaitFailover(victim, replica, Duration.ofSeconds(30));
            long promotedAt = System.nanoTime();
            RedisTopologyTest.await("both breakers to close", Duration.ofSeconds(20),
                    () -> watch.closedAt.get() != 0 && a.breakerState() == CircuitBreaker.State.CLOSED
                            && b.breakerState() == CircuitBreaker.State.CLOSED);
            long readsUntilClosed = load.reads.get() - readsBefore;
            int outageLoads = table.loads.get() - loadsBefore;
            long readsAtClose = load.reads.get();
            // The load ran before the kill (awaited above), through the outage (the loads below) and goes on after
            // the breakers closed: counted in reads, not in the time a starved machine gives the readers.
            RedisTopologyTest.await("the load to go on after the breakers closed", Duration.ofSeconds(20),
                    () -> load.reads.get() > readsAtClose + 50);
            load.stop();
            watch.stop();

            assertEquals(List.of(), List.copyOf(load.failures), "every read returned the table's value");
            assertTrue(readsUntilClosed > 0, "reads ran between the kill and the breakers closing");
            assertTrue(outageLoads > 0, "reads went to PostgreSQL while Redis was away");
            // counted by the nodes: the subscription may be lost and made again between two looks from outside
            assertTrue(lost(registryA) + lost(registryB) > lostBefore, "a node lost its subscription with the primary");
            assertEquals(promoted, replica);

            // After the promotion: healthy, reading from the new primary, hearing each other's writes.
            a.healthCheck().check();
            b.healthCheck().check();
            int loads = table.loads.get();
            for (long id : ids) {
                assertEquals(table.expected(id), items.getFirst().get(id, table::load));
            }
            assertEquals(loads, table.loads.get(), "every item is read from the promoted replica");
            assertInvalidationsFlow(a, b, promoted);

            return new Result(load.reads.get(), readsUntilClosed, outageLoads,
                    millis(table.firstLoadAfterKill.get() - killed), millis(table.lastLoadAfterKill.get() - killed),
                    millis(watch.openedAt.get() - killed), millis(promotedAt - killed),
                    millis(watch.closedAt.get() - killed), millis(load.slowest.get()),
                    (long) (errors(registryA) + errors(registryB)));
        } finally {
            load.stop();
            watch.stop();
        }
    }

    /** Whether an invalidation subscriber of this test's nodes is connected to {@code primary}. */
    private boolean holdsASubscriber(String primary) {
        return topology.cli(primary, "CLIENT", "LIST").lines()
                .anyMatch(l -> l.contains(" name=weft-cache-" + prefix + " ") && l.contains(" sub=1 "));
    }

    /** A put on node A reaches node B's L1 through the new primary, and the entry is stored there. */
    private void assertInvalidationsFlow(Caches a, Caches b, String promoted) throws Exception {
        RedisFixture.awaitSubscribed(a);
        RedisFixture.awaitSubscribed(b);
        Cache<Long, String> onA = a.cache("probe", KeyCodec.longs(), String.class);
        Cache<Long, String> onB = b.cache("probe", KeyCodec.longs(), String.class);
        long id = 0;
        if (topology.kind() == RedisTopology.Kind.CLUSTER) {
            List<int[]> slots = topology.slotsOf(promoted);
            while (!servedBy(slots, key("probe", id))) {
                id++;
            }
        }
        long probe = id;
        assertEquals("before", onB.get(probe, k -> "before"));
        assertEquals("before", onB.get(probe, k -> "not from L1"), "node B holds the probe in its L1");
        onA.put(probe, "after the failover");
        RedisTopologyTest.await("node B to hear node A's put through the new primary", Duration.ofSeconds(10),
                () -> "after the failover".equals(onB.get(probe, k -> "loaded")));
        assertEquals("1", topology.cli(promoted, "EXISTS", key("probe", probe)).strip(),
                "the put was stored on the promoted replica");
    }

    private String key(String cache, long id) {
        return prefix + ":" + cache + ":v1:" + id;
    }

    private static boolean servedBy(List<int[]> slots, String key) {
        int slot = JedisClusterCRC16.getSlot(key);
        for (int[] range : slots) {
            if (slot >= range[0] && slot <= range[1]) {
                return true;
            }
        }
        return false;
    }

    private static double errors(SimpleMeterRegistry registry) {
        return registry.find("cache.redis.errors").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static double lost(SimpleMeterRegistry registry) {
        return registry.get("cache.invalidations.lost").functionCounter().count();
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /** A table of items in the test PostgreSQL, and the loader that reads it. */
    private static final class Items implements AutoCloseable {
        final String name = "weft_cache_failover_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        final HikariDataSource db;
        final AtomicInteger loads = new AtomicInteger();
        final AtomicLong firstLoadAfterKill = new AtomicLong();
        final AtomicLong lastLoadAfterKill = new AtomicLong();
        volatile long killedAt = Long.MAX_VALUE;

        Items(List<Long> ids) throws SQLException {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(Services.postgres().url());
            config.setUsername(Services.postgres().user());
            config.setPassword(Services.postgres().password());
            config.setMaximumPoolSize(4);
            config.setPoolName(name);
            db = new HikariDataSource(config);
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("create table " + name + " (id bigint primary key, name text not null)");
                try (PreparedStatement insert = c.prepareStatement("insert into " + name + " values (?, ?)")) {
                    for (long id : ids) {
                        insert.setLong(1, id);
                        insert.setString(2, expected(id));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
        }

        String expected(long id) {
            return "item " + id;
        }

        String load(Long id) throws SQLException {
            loads.incrementAndGet();
            long now = System.nanoTime();
            if (now - killedAt > 0) {
                firstLoadAfterKill.compareAndSet(0, now);
                lastLoadAfterKill.set(now);
            }
            try (Connection c = db.getConnection();
                 PreparedStatement select = c.prepareStatement("select name from " + name + " where id = ?")) {
                select.setLong(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("drop table if exists " + name);
            } finally {
                db.close();
            }
        }
    }

    /** Virtual threads reading random items at a steady pace, recording every wrong answer or exception. */
    private static final class Load {
        final AtomicLong reads = new AtomicLong();
        final AtomicLong slowest = new AtomicLong();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicBoolean stopped = new AtomicBoolean();
        final List<Thread> threads = new ArrayList<>();

        Load(List<Cache<Long, String>> caches, List<Long> ids, Items table) {
            for (int i = 0; i < READERS; i++) {
                Cache<Long, String> cache = caches.get(i % caches.size());
                threads.add(Thread.ofVirtual().name("reader-" + i).start(() -> {
                    long next = System.nanoTime();
                    while (!stopped.get()) {
                        long id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                        long start = System.nanoTime();
                        try {
                            String value = cache.get(id, table::load);
                            if (!table.expected(id).equals(value)) {
                                failures.add("item " + id + " read as " + value);
                            }
                        } catch (RuntimeException e) {
                            failures.add("item " + id + ": " + e);
                        }
                        long took = System.nanoTime() - start;
                        slowest.accumulateAndGet(took, Math::max);
                        reads.incrementAndGet();
                        next += PACE_NANOS;
                        LockSupport.parkNanos(next - System.nanoTime());
                    }
                }));
            }
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    /**
     * Samples the nodes every 2 ms: the first moment a breaker was not closed, the last moment all were closed again
     * after that, and whether a node lost its invalidation subscription.
     */
    private static final class BreakerWatch {
        final AtomicLong openedAt = new AtomicLong();
        final AtomicLong closedAt = new AtomicLong();
        final AtomicBoolean stopped = new AtomicBoolean();
        final Thread thread;

        BreakerWatch(List<Caches> nodes) {
            thread = Thread.ofVirtual().name("breaker-watch").start(() -> {
                boolean wasOpen = false;
                while (!stopped.get()) {
                    boolean open = nodes.stream().anyMatch(n -> n.breakerState() != CircuitBreaker.State.CLOSED);
                    long now = System.nanoTime();
                    if (open) {
                        openedAt.compareAndSet(0, now);
                    } else if (wasOpen) {
                        closedAt.set(now);
                    }
                    wasOpen = open;
                    LockSupport.parkNanos(2_000_000);
                }
            });
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            thread.join();
        }
    }
}
