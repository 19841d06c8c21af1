package dev.weft.events.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.zaxxer.hikari.HikariDataSource;

import dev.weft.config.ConfigTree;
import dev.weft.events.ConsumerConfig;
import dev.weft.events.Envelope;
import dev.weft.events.EnvelopeCodec;
import dev.weft.events.EventPublisher;
import dev.weft.events.EventSubscriber;
import dev.weft.events.TestDatabases;
import dev.weft.events.idempotency.JdbcIdempotentHandler;
import dev.weft.events.inprocess.InProcessBus;
import dev.weft.events.jdbc.EventTables;
import dev.weft.events.metrics.EventMetrics;
import dev.weft.events.outbox.Outbox;
import dev.weft.events.outbox.OutboxConfig;
import dev.weft.events.outbox.OutboxRelay;
import dev.weft.events.rabbit.RabbitConfig;
import dev.weft.events.rabbit.RabbitEvents;
import dev.weft.testkit.Services;

/**
 * Throughput of this module against the local RabbitMQ and PostgreSQL, printed as Markdown rows for the README.
 *
 * <ol>
 *   <li>Publish with streaming confirms into one quorum queue (no consumer, deleted after each run): one thread
 *       with a window of 100 and of 1000 unconfirmed publishes, and four threads with 100 each: events/s and the
 *       publish-to-confirm latency p50/p99.</li>
 *   <li>The outbox relay end to end: {@code --outbox-events} rows already committed in PostgreSQL; time from the
 *       relay's start until every row is marked sent, and until a consumer group (through the idempotent JDBC
 *       handler) has processed every event; once with RabbitMQ, once with the in-process bus.</li>
 * </ol>
 *
 * <p>Every configuration runs once per round, and the rounds repeat the whole list, so that configurations are
 * compared side by side under the same machine load. Run: {@code ./weft mvn -B -q -pl async-events -Pbench
 * test-compile exec:exec} (options: {@code -Dbench.seconds=5 -Dbench.outboxEvents=20000 -Dbench.rounds=3}). Everything it creates has a random suffix and is
 * deleted at the end.
 */
public final class EventsBenchmark {
    public static void main(String[] args) throws Exception {
        int seconds = intArg(args, "--seconds", 5);
        int outboxEvents = intArg(args, "--outbox-events", 20_000);
        int rounds = intArg(args, "--rounds", 3);
        String suffix = TestDatabases.suffix();
        System.out.printf("# async-events benchmark, %s, %d cores, RabbitMQ %s:%d, PostgreSQL %s%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), Services.rabbitMq().host(), Services.rabbitMq().port(),
                Services.postgres().url());
        for (int round = 1; round <= rounds; round++) {
            System.out.printf("## round %d of %d, load average %.1f%n", round, rounds,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            publishWithConfirms(suffix, seconds, 1, 100);
            publishWithConfirms(suffix, seconds, 1, 1000);
            publishWithConfirms(suffix, seconds, 4, 100);
            outbox(suffix, outboxEvents, Transport.RABBITMQ, 100, false);
            outbox(suffix, outboxEvents, Transport.RABBITMQ, 500, false);
            outbox(suffix, outboxEvents, Transport.RABBITMQ, 500, true);
            outbox(suffix, outboxEvents, Transport.IN_PROCESS, 500, true);
        }
    }

    private static Envelope event(int n) {
        return Envelope.of("order.created", 1, EnvelopeCodec.mapper().createObjectNode()
                .put("orderId", n).put("item", "book").put("quantity", 1).put("total", "19.90"), "bench-" + n);
    }

    private static RabbitConfig rabbitConfig(String suffix, int confirmWindow) {
        return ConfigTree.of(Map.of(
                "host", Services.rabbitMq().host(),
                "port", Services.rabbitMq().port(),
                "username", Services.rabbitMq().user(),
                "password", Services.rabbitMq().password(),
                "virtualHost", Services.rabbitMq().virtualHost(),
                "exchange", "weft.async-events.bench." + suffix,
                "connectionName", "weft-async-events-bench-" + suffix,
                "confirmWindow", confirmWindow)).read(RabbitConfig::from);
    }

    private enum Transport { RABBITMQ, IN_PROCESS }

    private static void publishWithConfirms(String suffix, int seconds, int threads, int window) throws Exception {
        RabbitConfig config = rabbitConfig(suffix, window);
        ConsumerConfig consumer = ConsumerConfig.defaults();
        ConnectionFactory factory = Services.rabbitMq().factory();
        EventMetrics metrics = EventMetrics.noop();
        try (com.rabbitmq.client.Connection admin = factory.newConnection("weft-async-events-bench-admin-" + suffix);
             Channel ch = admin.createChannel();
             RabbitEvents rabbit = new RabbitEvents(config, consumer, metrics)) {
            rabbit.topology().declareGroup(ch, "sink", List.of("order.*"), consumer);
            long[] latencies = new long[4_000_000];
            AtomicInteger recorded = new AtomicInteger();
            AtomicLong failed = new AtomicLong();
            long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
            AtomicLong confirmed = new AtomicLong();
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                Thread.ofPlatform().start(() -> {
                    List<CompletableFuture<Void>> last = new ArrayList<>();
                    int n = 0;
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        boolean measured = start >= warmupEnd;
                        CompletableFuture<Void> f = rabbit.publish(event(n++)).whenComplete((ok, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            } else if (measured) {
                                confirmed.incrementAndGet();
                                int i = recorded.getAndIncrement();
                                if (i < latencies.length) {
                                    latencies[i] = System.nanoTime() - start;
                                }
                            }
                        });
                        if (last.size() == 1000) {
                            last.clear();
                        }
                        last.add(f);
                    }
                    CompletableFuture.allOf(last.toArray(CompletableFuture[]::new)).join();
                    done.countDown();
                });
            }
            done.await();
            int count = Math.min(recorded.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            System.out.printf("| publish + confirm, quorum queue, %d thread%s, window %d | %,.0f events/s | p50 %.2f ms,"
                            + " p99 %.2f ms | %d failed |%n", threads, threads == 1 ? "" : "s", config.confirmWindow(),
                    confirmed.get() / (double) seconds, percentile(sorted, 0.50), percentile(sorted, 0.99),
                    failed.get());
            rabbit.topology().deleteGroup(ch, "sink", consumer);
            rabbit.topology().deleteExchanges(ch);
        }
    }

    /**
     * Relays {@code events} committed rows with the given batch size; with {@code consume}, until a consumer group
     * has processed them all through the idempotent JDBC handler (sharing the relay's pool of 8 connections),
     * otherwise until every row is marked sent (the events stay in the group's queue until it is deleted).
     */
    private static void outbox(String suffix, int events, Transport transport, int batchSize, boolean consume)
            throws Exception {
        EventTables tables = EventTables.suffixed("bench_" + suffix);
        EventMetrics metrics = EventMetrics.noop();
        ConsumerConfig consumer = ConsumerConfig.defaults();
        boolean viaRabbit = transport == Transport.RABBITMQ;
        try (HikariDataSource db = TestDatabases.postgres()) {
            TestDatabases.migrate(db, tables);
            RabbitEvents rabbit = viaRabbit ? new RabbitEvents(rabbitConfig(suffix, RabbitConfig.defaults().confirmWindow()), consumer, metrics) : null;
            InProcessBus bus = viaRabbit ? null : new InProcessBus(consumer, metrics);
            try {
                insert(db, tables, events);
                EventPublisher publisher = viaRabbit ? rabbit : bus;
                EventSubscriber subscriber = viaRabbit ? rabbit : bus;
                if (consume) {
                    subscriber.subscribe("sink", List.of("order.*"),
                            new JdbcIdempotentHandler(db, tables, "sink", (e, tx) -> { }, metrics));
                } else {
                    declareQueue(suffix, rabbit, consumer);
                }
                long start = System.nanoTime();
                OutboxConfig config = ConfigTree.of(Map.of(
                        "tables", Map.of("outbox", tables.outbox(), "processedEvents", tables.processedEvents()),
                        "batchSize", batchSize,
                        "pollInterval", Duration.ofMillis(10))).read(OutboxConfig::from);
                try (OutboxRelay relay = new OutboxRelay(db, publisher, config, metrics).start()) {
                    if (consume) {
                        while (metrics.count("weft.events.consumed", "group", "sink", "outcome", "processed")
                                < events) {
                            Thread.sleep(50); // a benchmark's poll for the end of its run: no deadline to fail by
                        }
                    } else {
                        while (pending(db, tables) > 0) {
                            Thread.sleep(50); // as above
                        }
                    }
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    System.out.printf("| outbox relay -> %s, batch %d, %s | %,d events in %.2f s | %,.0f events/s |%n",
                            viaRabbit ? "RabbitMQ (quorum queue, confirms)" : "in-process bus", batchSize,
                            consume ? "until consumed (idempotent JDBC handler)" : "until marked sent, no consumer",
                            events, elapsed, events / elapsed);
                }
            } finally {
                if (rabbit != null) {
                    rabbit.deleteTopology(List.of("sink"));
                    rabbit.close();
                }
                if (bus != null) {
                    bus.close();
                }
                TestDatabases.drop(db, tables);
            }
        }
    }

    private static void declareQueue(String suffix, RabbitEvents rabbit, ConsumerConfig consumer) throws Exception {
        ConnectionFactory factory = Services.rabbitMq().factory();
        try (com.rabbitmq.client.Connection admin = factory.newConnection("weft-async-events-bench-admin-" + suffix);
             Channel ch = admin.createChannel()) {
            rabbit.topology().declareGroup(ch, "sink", List.of("order.*"), consumer);
        }
    }

    private static void insert(HikariDataSource db, EventTables tables, int events) throws SQLException {
        Outbox outbox = new Outbox(tables);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            List<Envelope> batch = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                batch.add(event(i));
                if (batch.size() == 1000) {
                    outbox.addAll(c, batch);
                    batch.clear();
                }
            }
            outbox.addAll(c, batch);
            c.commit();
        }
    }

    private static long pending(HikariDataSource db, EventTables tables) throws SQLException {
        try (Connection c = db.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM " + tables.outbox() + " WHERE sent_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return Integer.parseInt(a.substring(name.length() + 1));
            }
        }
        return fallback;
    }
}
