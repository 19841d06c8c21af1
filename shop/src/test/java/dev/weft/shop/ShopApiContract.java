package dev.weft.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.weft.shop.RunningShop.Reply;

import dev.weft.testkit.Eventually;

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
    void aProductPageShowsTheProductItsReviewsItsStockAndWhatItsReviewersAlsoReviewed() throws Exception {
        Reply reply = shop().get("/products/21/page");
        assertEquals(200, reply.status(), reply.raw().body());
        JsonNode page = reply.json();
        assertEquals(List.of("product", "reviews", "availability", "related"), fieldNamesOf(page));
        assertEquals(shop().get("/products/21").json(), page.get("product"));

        JsonNode reviews = page.get("reviews");
        List<long[]> rows = rows("SELECT rating, user_id FROM reviews WHERE product_id = 21", 2);
        assertTrue(rows.size() >= 3, "the seed gives product 21 reviews: " + rows.size());
        assertEquals(rows.size(), reviews.get("count").asLong());
        long stars = 0;
        for (int rating = 1; rating <= 5; rating++) {
            int r = rating;
            long n = rows.stream().filter(row -> row[0] == r).count();
            assertEquals(n, reviews.get("ratings").get(Integer.toString(rating)).asLong(), "rating " + rating);
            stars += rating * n;
        }
        assertEquals(Math.round(100.0 * stars / rows.size()) / 100.0, reviews.get("averageRating").asDouble());
        JsonNode recent = reviews.get("recent");
        assertEquals(Math.min(5, rows.size()), recent.size());
        for (int i = 1; i < recent.size(); i++) {
            assertFalse(Instant.parse(recent.get(i - 1).get("createdAt").asText())
                    .isBefore(Instant.parse(recent.get(i).get("createdAt").asText())), "newest first: " + recent);
        }
        assertEquals(List.of("id", "productId", "userId", "rating", "title", "body", "createdAt"),
                fieldNamesOf(recent.get(0)));

        List<long[]> stock = rows("SELECT warehouse_id, quantity FROM warehouse_stock WHERE product_id = 21"
                + " ORDER BY warehouse_id", 2);
        JsonNode availability = page.get("availability");
        assertEquals(stock.size(), availability.size(), availability.toString());
        assertTrue(stock.size() >= 1);
        for (int i = 0; i < stock.size(); i++) {
            assertEquals(stock.get(i)[1], availability.get(i).get("quantity").asLong());
            assertTrue(!availability.get(i).get("warehouse").asText().isBlank());
        }

        // "Customers who reviewed this also reviewed", counted here from the raw rows.
        Map<Long, Long> shared = new TreeMap<>();
        for (long[] reviewer : rows) {
            for (long[] other : rows("SELECT product_id FROM reviews WHERE user_id = " + reviewer[1]
                    + " AND product_id <> 21", 1)) {
                shared.merge(other[0], 1L, Long::sum);
            }
        }
        List<Long> expected = shared.entrySet().stream()
                .sorted(Map.Entry.<Long, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(8).map(Map.Entry::getKey).toList();
        assertTrue(!expected.isEmpty(), "the seed's customers review several products of a group");
        List<Long> related = new ArrayList<>();
        for (JsonNode r : page.get("related")) {
            related.add(r.get("id").asLong());
            assertEquals(shared.get(r.get("id").asLong()), r.get("sharedReviewers").asLong());
            assertEquals("Product " + r.get("id").asLong(), r.get("name").asText());
        }
        assertEquals(expected, related);

        assertEquals(404, shop().get("/products/987654321/page").status());
        assertEquals("product 987654321 not found", shop().get("/products/987654321/page").json().get("error")
                .asText());
        assertEquals(List.of("id"), fieldNames(shop().get("/products/x/page")));
    }

    @Test
    void aProductPageIsCachedUntilAReviewTheProductOrItsStockChanges() throws Exception {
        JsonNode before = shop().get("/products/23/page").json();
        long count = before.get("reviews").get("count").asLong();
        execute("UPDATE products SET name = 'changed behind the cache' WHERE id = 23");
        assertEquals("Product 23", shop().get("/products/23/page").json().get("product").get("name").asText(),
                "a cached page is served from the cache, not the database");

        long user = 2_000_000_000L + ThreadLocalRandom.current().nextInt(1_000_000);
        Reply posted = shop().post("/products/23/reviews", "{\"userId\":" + user
                + ",\"rating\":2,\"title\":\"Broke in a week\",\"body\":\"The hinge snapped.\"}");
        assertEquals(201, posted.status(), posted.raw().body());
        assertEquals(23, posted.json().get("productId").asLong());
        assertEquals(user, posted.json().get("userId").asLong());
        assertEquals(2, posted.json().get("rating").asInt());

        JsonNode after = shop().get("/products/23/page").json();
        assertEquals(count + 1, after.get("reviews").get("count").asLong(), "the review invalidated the page");
        assertEquals(posted.json(), after.get("reviews").get("recent").get(0), "the newest review comes first");
        assertEquals("changed behind the cache", after.get("product").get("name").asText(), "rebuilt from the database");

        assertEquals(200, shop().put("/products/23", "{\"name\":\"Hinged box\",\"priceCents\":900,\"stock\":40}")
                .status());
        JsonNode renamed = shop().get("/products/23/page").json().get("product");
        assertEquals("Hinged box", renamed.get("name").asText(), "a product update invalidated the page");
        assertEquals(40, renamed.get("stock").asInt());

        assertEquals(201, shop().post("/orders", "{\"productId\":23,\"quantity\":3,\"userId\":5}").status());
        assertEquals(37, shop().get("/products/23/page").json().get("product").get("stock").asInt(),
                "an order's reservation invalidated the page");
    }

    @Test
    void aReviewIsRefusedForABadBodyAnUnknownProductOrASecondReviewByTheSameUser() throws Exception {
        Reply bad = shop().post("/products/25/reviews", "{\"rating\":6,\"title\":\"\",\"mood\":\"happy\"}");
        assertEquals(400, bad.status(), bad.raw().body());
        assertEquals(List.of("body", "mood", "rating", "title", "userId"), fieldNames(bad));

        String review = "{\"userId\":7,\"rating\":5,\"title\":\"Great\",\"body\":\"Does the job.\"}";
        Reply unknown = shop().post("/products/987654321/reviews", review);
        assertEquals(404, unknown.status(), unknown.raw().body());
        assertEquals("product 987654321 not found", unknown.json().get("error").asText());

        long user = 3_000_000_000L + ThreadLocalRandom.current().nextInt(1_000_000);
        String once = review.replace("\"userId\":7", "\"userId\":" + user);
        assertEquals(201, shop().post("/products/25/reviews", once).status());
        long count = shop().get("/products/25/page").json().get("reviews").get("count").asLong();
        Reply twice = shop().post("/products/25/reviews", once);
        assertEquals(409, twice.status(), twice.raw().body());
        assertEquals("user " + user + " has already reviewed product 25", twice.json().get("error").asText());
        assertEquals(count, shop().get("/products/25/page").json().get("reviews").get("count").asLong());
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
            // The order holds the only connection for its consumers' 1.5 s: a read meanwhile is turned away.
            Reply busy = Eventually.until(Duration.ofSeconds(20), "a read turned away or the order done",
                    () -> slowOrder.isDone() ? null : tiny.get("/products/13"),
                    reply -> reply == null || reply.status() != 200);
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

    private JsonNode awaitComplete(long orderId) {
        return Eventually.until(Duration.ofSeconds(15), "order " + orderId + " processed by every consumer", () -> {
            Reply reply = shop().get("/orders/" + orderId);
            assertEquals(200, reply.status(), reply.raw().body());
            return reply.json();
        }, order -> order.get("complete").asBoolean());
    }

    private void awaitStock(long productId, int expected) {
        Eventually.until(Duration.ofSeconds(5), "the order's reservation reaches the product's cached view",
                () -> shop().get("/products/" + productId).json().get("stock").asInt(), stock -> stock == expected);
    }

    private static List<String> fieldNames(Reply reply) {
        JsonNode fields = reply.json().get("fields");
        assertNotNull(fields, "a 400 names its fields: " + reply.raw().body());
        List<String> names = new ArrayList<>();
        fields.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        return names;
    }

    private static List<String> fieldNamesOf(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Each row of {@code sql} as its first {@code columns} columns, read as longs. */
    private List<long[]> rows(String sql, int columns) throws SQLException {
        try (Connection c = database(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            List<long[]> rows = new ArrayList<>();
            while (rs.next()) {
                long[] row = new long[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = rs.getLong(i + 1);
                }
                rows.add(row);
            }
            return rows;
        }
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
