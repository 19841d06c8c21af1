package dev.weft.events.rabbit;

import static dev.weft.events.rabbit.OrderFlow.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.weft.events.Envelope;
import dev.weft.events.EnvelopeCodec;
import dev.weft.events.outbox.OutboxRelay;
import dev.weft.testkit.Services;

/** The proof of the order flow, against the real RabbitMQ and PostgreSQL. */
class RabbitOrderFlowTest {
    private OrderFlow flow;

    @BeforeAll
    static void services() {
        Services.requireRabbitMq();
        Services.requirePostgres();
    }

    @BeforeEach
    void setUp() throws Exception {
        flow = new OrderFlow();
    }

    @AfterEach
    void tearDown() throws Exception {
        flow.close();
    }

    private void awaitEveryGroupProcessed(long n) throws Exception {
        for (String group : OrderFlow.GROUPS) {
            await(group + " processed " + n, Duration.ofSeconds(30), () -> flow.effects(group) >= n);
        }
    }

    private void assertProcessedExactly(long n) throws Exception {
        for (String group : OrderFlow.GROUPS) {
            assertEquals(n, flow.effects(group), group + ": events processed, counting repeats");
            assertEquals(n, flow.distinctEffects(group), group + ": distinct events processed");
        }
    }

    @Test
    void oneOrderReachesAllThreeConsumerGroups() throws Exception {
        flow.subscribeAll();
        flow.rabbit.healthCheck().check();
        flow.startRelay(flow.rabbit);
        Envelope event = flow.placeOrder("book");
        awaitEveryGroupProcessed(1);
        assertProcessedExactly(1);
        await("outbox row marked sent", () -> uncheck(() -> flow.pendingRows() == 0));
        assertEquals(1, flow.count("SELECT COUNT(*) FROM " + flow.effects + " WHERE event_id = '" + event.id()
                + "' AND consumer_group = 'inventory'"));
        // Counted by the thread that completed the confirm, which may not have yet when the relay marked the row.
        await("the confirm counted", Duration.ofSeconds(20),
                () -> flow.metrics.count("weft.events.confirmed", "transport", "rabbitmq") >= 1);
    }

    @Test
    void aThrowingConsumerIsRetriedThenParkedWhileTheOthersAreUnaffectedAndReplayWorks() throws Exception {
        flow.pointsBroken.set(true);
        flow.subscribeAll();
        flow.startRelay(flow.rabbit);
        flow.placeOrder("lamp");
        // A consumer counts an outcome after the broker confirmed the move and it acked the delivery, so the counts
        // are awaited, not read as soon as the queue or the effects show the event (on a busy machine the count of
        // the lamp's processing once came after the marker's effects were there).
        await("points retried twice, then parked", Duration.ofSeconds(20),
                () -> flow.metrics.count("weft.events.dead_lettered", "group", "points") == 1
                        && flow.metrics.count("weft.events.retried", "group", "points") >= 2);
        assertEquals(2, flow.metrics.count("weft.events.retried", "group", "points"));
        assertEquals(1, flow.rabbit.parkingLot().size("points"));
        await("inventory and notification processed the lamp", Duration.ofSeconds(20),
                () -> flow.effects("inventory") >= 1 && flow.effects("notification") >= 1);
        assertEquals(1, flow.effects("inventory"));
        assertEquals(1, flow.effects("notification"));
        assertEquals(0, flow.effects("points"));

        flow.pointsBroken.set(false);
        assertEquals(1, flow.rabbit.parkingLot().replay("points", 10));
        await("points processed the replayed event", Duration.ofSeconds(20), () -> flow.effects("points") == 1);
        assertEquals(0, flow.rabbit.parkingLot().size("points"));
        // A replay must not reach the other groups again: an order placed after it reaches every group, and by then
        // a replayed copy queued for the others before it would have been delivered too.
        flow.placeOrder("marker");
        awaitEveryGroupProcessed(2);
        assertProcessedExactly(2);
        for (String group : List.of("inventory", "notification")) {
            await(group + " counted the marker", Duration.ofSeconds(20), () ->
                    flow.metrics.count("weft.events.consumed", "group", group, "outcome", "processed") >= 2);
            assertEquals(2, flow.metrics.count("weft.events.consumed", "group", group, "outcome", "processed"),
                    group + " was delivered the lamp and the marker, nothing more");
        }
    }

    @Test
    void aDuplicateDeliveryIsProcessedOnce() throws Exception {
        flow.subscribeAll();
        Envelope event = Envelope.of("order.created", 1,
                EnvelopeCodec.mapper().createObjectNode().put("orderId", 1), "dup");
        flow.rabbit.publish(event).get(5, TimeUnit.SECONDS);
        flow.rabbit.publish(event).get(5, TimeUnit.SECONDS);
        for (String group : OrderFlow.GROUPS) {
            await(group + " acked both deliveries", Duration.ofSeconds(20), () ->
                    flow.metrics.count("weft.events.consumed", "group", group, "outcome", "processed") == 2);
            assertEquals(1, flow.metrics.count("weft.events.duplicates", "group", group));
        }
        assertProcessedExactly(1);
    }

    @Test
    void anUnroutableEventIsReturnedNotConfirmed() {
        Envelope event = Envelope.of("nobody.listens", 1, EnvelopeCodec.mapper().createObjectNode(), null);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> flow.rabbit.publish(event).get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("unroutable"), e.getCause().getMessage());
        assertEquals(1, flow.metrics.count("weft.events.returned", "transport", "rabbitmq"));
    }

    @Test
    void ordersAreAcceptedWhileTheBrokerIsUnreachableAndEveryEventArrivesOnceItIsBack() throws Exception {
        flow.subscribeAll();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        int n = 20;
        try (RabbitEvents unreachable = new RabbitEvents(flow.rabbit("127.0.0.1", closedPort, "-down"),
                flow.consumerConfig, flow.metrics)) {
            assertThrows(IllegalStateException.class, () -> unreachable.healthCheck().check());
            OutboxRelay relay = flow.startRelay(unreachable);
            for (int i = 0; i < n; i++) {
                flow.placeOrder("item-" + i);
            }
            assertEquals(n, flow.count("SELECT COUNT(*) FROM " + flow.orders));
            await("relay tried and failed", () -> uncheck(() -> flow.count("SELECT COUNT(*) FROM "
                    + flow.tables.outbox() + " WHERE last_error IS NOT NULL") == n));
            relay.close();
        }
        assertEquals(n, flow.pendingRows(), "every event waits in the outbox");
        assertEquals(0, flow.effects("inventory"));

        flow.startRelay(flow.rabbit);
        awaitEveryGroupProcessed(n);
        await("outbox drained", () -> uncheck(() -> flow.pendingRows() == 0));
        assertProcessedExactly(n);
    }

    @Test
    void ownConnectionsClosedByTheBrokerRecoverAndNothingIsLostOrProcessedTwice() throws Exception {
        flow.subscribeAll();
        flow.startRelay(flow.rabbit);
        int n = 40;
        for (int i = 0; i < n / 2; i++) {
            flow.placeOrder("before-" + i);
        }
        awaitEveryGroupProcessed(n / 2);

        int closed = RabbitCtl.closeConnections(flow.rabbitConfig.connectionName());
        assertEquals(2, closed, "the publishing and the consuming connection");
        for (int i = 0; i < n / 2; i++) {
            flow.placeOrder("during-" + i);
        }
        assertEquals(n, flow.count("SELECT COUNT(*) FROM " + flow.orders), "orders accepted during the outage");

        awaitEveryGroupProcessed(n);
        await("outbox drained", () -> uncheck(() -> flow.pendingRows() == 0));
        flow.rabbit.healthCheck().check();
        // Redeliveries of what was unacked when the connections closed were queued then; an order placed now
        // reaches every group after them, so once it is processed the counts are final.
        flow.placeOrder("marker");
        awaitEveryGroupProcessed(n + 1);
        assertProcessedExactly(n + 1);
    }

    @Test
    void aMessageThatIsNotAnEnvelopeIsParkedAtOnce() throws Exception {
        flow.subscribeAll();
        try (com.rabbitmq.client.Channel ch = flow.adminChannel()) {
            ch.basicPublish(flow.rabbit.topology().exchange(), "order.created",
                    new com.rabbitmq.client.AMQP.BasicProperties.Builder().deliveryMode(2).messageId("garbage").build(),
                    "not an envelope".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        for (String group : OrderFlow.GROUPS) {
            await(group + " parked the malformed message", Duration.ofSeconds(20),
                    () -> flow.rabbit.parkingLot().size(group) == 1);
            assertEquals(0, flow.metrics.count("weft.events.retried", "group", group), "no retries for garbage");
        }
        assertProcessedExactly(0);
    }

    @Test
    void closingASubscriptionLetsTheHandlerInFlightFinishAndAck() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        var subscription = flow.subscribe("slow", e -> {
            started.countDown();
            Thread.sleep(500); // the handler's slowness is the input: close() is called while it runs
            finished.set(true);
        });
        flow.rabbit.publish(Envelope.of("order.created", 1, EnvelopeCodec.mapper().createObjectNode(), null))
                .get(5, TimeUnit.SECONDS);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        subscription.close();
        assertTrue(finished.get(), "close returned before the handler finished");
        assertEquals(1, flow.metrics.count("weft.events.consumed", "group", "slow", "outcome", "processed"));
        assertEquals(0, flow.queueLength("slow"), "the event was acked before the channel closed, not requeued");
    }

    @Test
    void theQueueItselfParksAMessageRedeliveredBeyondTheDeliveryLimit() throws Exception {
        int gets = 0;
        try (com.rabbitmq.client.Channel ch = flow.adminChannel()) {
            flow.rabbit.topology().declareGroup(ch, "crashy", List.of("order.*"), flow.consumerConfig);
            flow.deleteAtEnd("crashy");
            flow.rabbit.publish(Envelope.of("order.created", 1, EnvelopeCodec.mapper().createObjectNode(), null))
                    .get(5, TimeUnit.SECONDS);
            String queue = flow.rabbit.topology().queue("crashy");
            int[] got = {0};
            await("the queue parked the message", Duration.ofSeconds(20), () -> {
                com.rabbitmq.client.GetResponse r = ch.basicGet(queue, false);
                if (r == null) {
                    return flow.rabbit.parkingLot().size("crashy") == 1;
                }
                got[0]++;
                ch.basicNack(r.getEnvelope().getDeliveryTag(), false, true); // as if the consumer died
                return false;
            });
            gets = got[0];
        }
        assertEquals(1, flow.rabbit.parkingLot().size("crashy"));
        int limit = flow.consumerConfig.deliveryLimit();
        assertTrue(gets >= limit && gets <= limit + 1, "delivered " + gets + " times with a limit of " + limit);
    }

    private static boolean uncheck(OrderFlow.CheckedCondition c) {
        try {
            return c.met();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
