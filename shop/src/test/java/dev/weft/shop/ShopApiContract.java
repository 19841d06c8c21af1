package dev.weft.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.weft.shop.RunningShop.Reply;

/**
 * The shop's HTTP API, over real sockets with the JDK HttpClient, run against each set of backing services by a
 * subclass. Tests use distinct product ids so that they do not depend on each other's order.
 */
abstract class ShopApiContract {
    /** The shop under test, with its cache and its events on. */
    abstract RunningShop shop();

    /** A connection to the shop's database that bypasses the shop, to change rows behind the cache's back. */
    abstract Connection database() throws SQLException;

    /**
     * The configuration of a second shop on the same database with a pool of one connection and a 500 ms wait,
     * events off and its notification consumer slowed down to 1.5 s, so that one order holds the only connection.
     */
    abstract Map<String, Object> tinyPoolConfig();

    /** The readiness checks this configuration should register. */
    abstract List<String> readinessChecks();

    @Test
    void readinessChecksEveryServiceInUse() throws Exception {
        Reply ready = shop().get("/health/ready");
        assertEquals(200, ready.status(), ready.raw().body());
        List<String> checks = new ArrayList<>();
        ready.json().get("checks").fieldNames().forEachRemaining(checks::add);
        assertEquals(readinessChecks(), checks.stream().sorted().toList());
    }

    @Test
    void productReadsComeFromTheCacheUntilAnUpdateInvalidatesThem() throws Exception {
        Reply first = shop().get("/products/5");
        assertEquals(200, first.status(), first.raw().body());
        assertEquals(5, first.json().get("id").asLong());
        assertEquals("Product 5", first.json().get("name").asText());

        execute("UPDATE products SET name = 'changed behind the cache' WHERE id = 5");
        assertEquals("Product 5", shop().get("/products/5").json().get("name").asText(),
                "a cached product is served from the cache, not the database");

        Reply put = shop().put("/products/5", "{\"name\":\"Renamed\",\"priceCents\":1234,\"stock\":50}");
        assertEquals(200, put.status(), put.raw().body());
        assertEquals("Renamed", put.json().get("name").asText());
        JsonNode after = shop().get("/products/5").json();
        assertEquals("Renamed", after.get("name").asText());
        assertEquals(1234, after.get("priceCents").asLong());
        assertEquals(50, after.get("stock").asInt());
    }

    @Test
    void aMissingProductIsA404ThatIsCachedUntilTheProductIsWritten() throws Exception {
        long id = 5_000_000 + ThreadLocalRandom.current().nextInt(1_000_000);
        Reply missing = shop().get("/products/" + id);
        assertEquals(404, missing.status());
        assertEquals("product " + id + " not found", missing.json().get("error").asText());

        execute("INSERT INTO products (id, name, price_cents, stock) VALUES (" + id + ", 'late', 100, 1)");
        assertEquals(404, shop().get("/products/" + id).status(), "the 404 is served from the null marker");

        assertEquals(200, shop().put("/products/" + id, "{\"name\":\"late\",\"priceCents\":100,\"stock\":1}")
                .status());
        assertEquals(200, shop().get("/products/" + id).status(), "the update invalidated the null marker");
    }

    @Test
    void anOrderIsAcceptedAndProcessedByInventoryPointsAndNotification() throws Exception {
        long user = 1 + ThreadLocalRandom.current().nextLong(1_000_000_000L);
        JsonNode product = shop().get("/products/7").json();
        Reply created = shop().post("/orders", "{\"productId\":7,\"quantity\":2,\"userId\":" + user + "}");
        assertEquals(201, created.status(), created.raw().body());
        long orderId = created.json().get("id").asLong();
        assertEquals("/orders/" + orderId, created.header("Location"));

        JsonNode order = awaitComplete(orderId);
        assertEquals(7, order.get("productId").asLong());
        assertEquals(user, order.get("userId").asLong());
        assertEquals(2 * product.get("priceCents").asLong(), order.get("totalCents").asLong());
        JsonNode consumers = order.get("consumers");
        assertEquals("reservation_confirmed", consumers.get("inventory").get("outcome").asText());
        long points = 2 * product.get("priceCents").asLong() / 100;
        assertEquals("credited_" + points, consumers.get("points").get("outcome").asText());
        assertEquals("message_recorded", consumers.get("notification").get("outcome").asText());

        JsonNode balance = shop().get("/users/" + user + "/points").json();
        assertEquals(points, balance.get("points").asLong());
        awaitStock(7, product.get("stock").asInt() - 2);
    }

    @Test
    void badInputIsA400NamingEveryBadField() throws Exception {
        Reply order = shop().post("/orders", "{\"productId\":\"seven\",\"quantity\":0,\"colour\":\"red\"}");
        assertEquals(400, order.status());
        assertEquals(List.of("colour", "productId", "quantity", "userId"), fieldNames(order));

        Reply malformed = shop().post("/orders", "{\"productId\":");
        assertEquals(400, malformed.status());
        assertEquals(List.of("body"), fieldNames(malformed));

        Reply product = shop().put("/products/9", "{\"name\":\" \",\"priceCents\":-1}");
        assertEquals(400, product.status());
        assertEquals(List.of("name", "priceCents", "stock"), fieldNames(product));

        Reply path = shop().get("/products/nine");
        assertEquals(400, path.status());
        assertEquals(List.of("id"), fieldNames(path));
    }

    @Test
    void unknownOrdersAndProductsAre404() throws Exception {
        assertEquals(404, shop().get("/orders/987654321").status());
        Reply order = shop().post("/orders", "{\"productId\":987654321,\"quantity\":1,\"userId\":1}");
        assertEquals(404, order.status());
        assertEquals("product 987654321 not found", order.json().get("error").asText());
    }

    @Test
    void insufficientStockIsA409AndChangesNothing() throws Exception {
        assertEquals(200, shop().put("/products/11", "{\"name\":\"Scarce\",\"priceCents\":500,\"stock\":2}")
                .status());
        Reply refused = shop().post("/orders", "{\"productId\":11,\"quantity\":3,\"userId\":1}");
        assertEquals(409, refused.status(), refused.raw().body());
        assertTrue(refused.json().get("error").asText().contains("insufficient stock"));

        assertEquals(2, shop().get("/products/11").json().get("stock").asInt());
        assertEquals(0, count("SELECT COUNT(*) FROM orders WHERE product_id = 11"));
    }

    @Test
    void ordersRacingForTheLastItemsAreAcceptedOnlyWhileTheStockLasts() throws Exception {
        assertEquals(200, shop().put("/products/17", "{\"name\":\"Last few\",\"priceCents\":700,\"stock\":5}")
                .status());
        List<CompletableFuture<Reply>> racing = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            racing.add(shop().postAsync("/orders", "{\"productId\":17,\"quantity\":1,\"userId\":17}"));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Reply> reply : racing) {
            statuses.add(reply.get(20, TimeUnit.SECONDS).status());
        }

        assertEquals(5, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(7, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(0, shop().get("/products/17").json().get("stock").asInt());
        assertEquals(5, count("SELECT COUNT(*) FROM orders WHERE product_id = 17"));
    }

    @Test
    void anExhaustedPoolAnswers503WithRetryAfter() throws Exception {
        try (RunningShop tiny = new RunningShop(tinyPoolConfig())) {
            CompletableFuture<Reply> slowOrder =
                    tiny.postAsync("/orders", "{\"productId\":13,\"quantity\":1,\"userId\":13}");
            Reply busy = null;
            while (!slowOrder.isDone()) { // the order holds the only connection for its consumers' 1.5 s
                Reply reply = tiny.get("/products/13");
                if (reply.status() != 200) {
                    busy = reply;
                    break;
                }
                Thread.sleep(20);
            }
            assertNotNull(busy, "no request was turned away while the order held the only connection");
            assertEquals(503, busy.status(), busy.raw().body());
            assertTrue(Long.parseLong(busy.header("Retry-After")) >= 1, busy.header("Retry-After"));
            assertTrue(busy.json().get("error").asText().contains("no free connection"), busy.raw().body());

            Reply order = slowOrder.get(20, TimeUnit.SECONDS);
            assertEquals(201, order.status(), order.raw().body());
            JsonNode done = tiny.get("/orders/" + order.json().get("id").asLong()).json();
            assertEquals(true, done.get("complete").asBoolean(),
                    "with events off the consumers ran inside the request: " + done);
        }
    }

    private JsonNode awaitComplete(long orderId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        JsonNode order;
        do {
            Reply reply = shop().get("/orders/" + orderId);
            assertEquals(200, reply.status(), reply.raw().body());
            order = reply.json();
            if (order.get("complete").asBoolean()) {
                return order;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return fail("order " + orderId + " was not processed by every consumer within 15 s: " + order);
    }

    private void awaitStock(long productId, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int stock;
        do {
            stock = shop().get("/products/" + productId).json().get("stock").asInt();
            if (stock == expected) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        assertEquals(expected, stock, "the order's reservation should reach the product's cached view");
    }

    private static List<String> fieldNames(Reply reply) {
        JsonNode fields = reply.json().get("fields");
        assertNotNull(fields, "a 400 names its fields: " + reply.raw().body());
        List<String> names = new ArrayList<>();
        fields.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        return names;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = database(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = database(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
