package dev.weft.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import redis.clients.jedis.Jedis;

/**
 * The checks against real servers and against what a test machine can have instead: nothing on the port, a server
 * that accepts and says nothing, a server that refuses the login. The checks against the machine's own services
 * skip (fail under CI=true) when those are absent, by the very rule under test.
 */
class ServicesTest {
    private static final Duration SHORT = Duration.ofSeconds(1);

    @Test
    void theCoordinatesDefaultToTheMachinesServicesAndComeFromTheEnvironment() {
        assertEquals(new TestPostgres("127.0.0.1", 5432, "test", "postgres", ""), TestPostgres.from(Map.of()));
        assertEquals("jdbc:postgresql://127.0.0.1:5432/test", TestPostgres.from(Map.of()).url());
        assertEquals(new TestRedis("127.0.0.1", 6379, "", ""), TestRedis.from(Map.of()));
        assertEquals(new TestRabbitMq("127.0.0.1", 5672, "guest", "guest", "/"), TestRabbitMq.from(Map.of()));

        TestPostgres pg = TestPostgres.from(Map.of("WEFT_TEST_PG_HOST", "db.test", "WEFT_TEST_PG_PORT", "6543",
                "WEFT_TEST_PG_DATABASE", "weft", "WEFT_TEST_PG_USER", "app", "WEFT_TEST_PG_PASSWORD", "s3cret"));
        assertEquals(new TestPostgres("db.test", 6543, "weft", "app", "s3cret"), pg);
        assertEquals("jdbc:postgresql://db.test:6543/weft", pg.url());
        assertEquals("jdbc:postgresql://[::1]:5432/test", TestPostgres.from(Map.of("WEFT_TEST_PG_HOST", "::1")).url());
        assertEquals(new TestRedis("r", 7000, "app", "pw"), TestRedis.from(Map.of("WEFT_TEST_REDIS_HOST", "r",
                "WEFT_TEST_REDIS_PORT", "7000", "WEFT_TEST_REDIS_USER", "app", "WEFT_TEST_REDIS_PASSWORD", "pw")));
        assertEquals("r:7000", TestRedis.from(Map.of("WEFT_TEST_REDIS_HOST", "r", "WEFT_TEST_REDIS_PORT", "7000"))
                .address());
        assertEquals(new TestRabbitMq("mq", 5673, "weft", "pw", "/weft"), TestRabbitMq.from(Map.of(
                "WEFT_TEST_RABBITMQ_HOST", "mq", "WEFT_TEST_RABBITMQ_PORT", "5673", "WEFT_TEST_RABBITMQ_USER", "weft",
                "WEFT_TEST_RABBITMQ_PASSWORD", "pw", "WEFT_TEST_RABBITMQ_VHOST", "/weft")));
        // A blank variable is unset; an empty password is a password (none), not the default.
        assertEquals(5432, TestPostgres.from(Map.of("WEFT_TEST_PG_PORT", " ")).port());
        assertEquals("", TestRabbitMq.from(Map.of("WEFT_TEST_RABBITMQ_PASSWORD", "")).password());
    }

    @Test
    void aBadPortIsNamedWithItsVariable() {
        for (String bad : List.of("x", "0", "65536", "-1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TestRedis.from(Map.of("WEFT_TEST_REDIS_PORT", bad)));
            assertEquals("WEFT_TEST_REDIS_PORT must be a port number from 1 to 65535, was \"" + bad + "\"",
                    e.getMessage());
        }
    }

    @Test
    void aPortWithNothingListeningIsUnavailableAtOnce() throws IOException {
        int port = closedPort();
        for (Function<Integer, String> check : List.<Function<Integer, String>>of(
                p -> new TestPostgres("127.0.0.1", p, "test", "postgres", "").problem(SHORT),
                p -> new TestRedis("127.0.0.1", p, "", "").problem(SHORT),
                p -> new TestRabbitMq("127.0.0.1", p, "guest", "guest", "/").problem(SHORT))) {
            String problem = check.apply(port);
            assertNotNull(problem);
            assertTrue(problem.matches("(PostgreSQL|Redis|RabbitMQ) is not reachable on 127\\.0\\.0\\.1:" + port
                    + " \\(ConnectException: Connection refused\\)"), problem);
        }
    }

    @Test
    void aServerThatAcceptsAndSaysNothingIsUnavailableWithinTheTimeout() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            int port = silent.port();
            for (Function<Integer, String> check : List.<Function<Integer, String>>of(
                    p -> new TestPostgres("127.0.0.1", p, "test", "postgres", "").problem(SHORT),
                    p -> new TestRedis("127.0.0.1", p, "", "").problem(SHORT),
                    p -> new TestRabbitMq("127.0.0.1", p, "guest", "guest", "/").problem(SHORT))) {
                long start = System.nanoTime();
                String problem = check.apply(port);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertNotNull(problem);
                assertTrue(problem.contains(" on 127.0.0.1:" + port + " accepts connections but not this client"),
                        problem);
                // Each step is bounded by the timeout (1 s); a few steps and a busy machine stay far under 15 s.
                assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "took " + took + ": " + problem);
            }
            assertTrue(silent.accepted() >= 3, "every client connected: " + silent.accepted());
        }
    }

    @Test
    void theMachinesPostgresAnswersAndRefusesAnUnknownRoleOrDatabaseWithTheReason() throws Exception {
        TestPostgres pg = Services.requirePostgres();
        assertNull(pg.problem(Services.CHECK_TIMEOUT));
        try (Connection c = pg.connect(); ResultSet r = c.createStatement().executeQuery("SELECT current_user")) {
            assertTrue(r.next());
            assertEquals(pg.user(), r.getString(1));
        }
        String role = new TestPostgres(pg.host(), pg.port(), pg.database(), "weft_no_such_role", "wrong")
                .problem(Services.CHECK_TIMEOUT);
        assertNotNull(role, "an unknown role logged in");
        assertTrue(role.startsWith("PostgreSQL on " + pg.host() + ":" + pg.port() + " accepts connections but not "
                + "this client (database " + pg.database() + ", user weft_no_such_role, a password): "), role);
        // Refused by its password (md5 or scram) or, where the server trusts local connections, by the role.
        assertTrue(role.contains("\"weft_no_such_role\""), role);
        String database = new TestPostgres(pg.host(), pg.port(), "weft_no_such_database", pg.user(), pg.password())
                .problem(Services.CHECK_TIMEOUT);
        assertNotNull(database, "a missing database counted as there");
        assertTrue(database.contains("\"weft_no_such_database\""), database);
    }

    @Test
    void theMachinesRedisAnswersAndRefusesAWrongPasswordWithTheReason() {
        TestRedis redis = Services.requireRedis();
        try (Jedis jedis = redis.client()) {
            assertEquals("PONG", jedis.ping());
        }
        String problem = new TestRedis(redis.host(), redis.port(), "weft-no-such-user", "wrong")
                .problem(Services.CHECK_TIMEOUT);
        assertNotNull(problem, "a wrong login counted as there");
        assertTrue(problem.startsWith("Redis on " + redis.address() + " accepts connections but not this client "
                + "(user weft-no-such-user, a password): "), problem);
        assertTrue(problem.contains("WRONGPASS") || problem.contains("AUTH"), problem);
    }

    @Test
    void theMachinesRabbitMqOpensAChannelAndRefusesAWrongPasswordWithTheReason() throws Exception {
        TestRabbitMq rabbit = Services.requireRabbitMq();
        try (com.rabbitmq.client.Connection c = rabbit.factory().newConnection()) {
            assertTrue(c.createChannel().isOpen());
        }
        String problem = new TestRabbitMq(rabbit.host(), rabbit.port(), rabbit.user(), rabbit.password() + "-wrong",
                rabbit.virtualHost()).problem(Services.CHECK_TIMEOUT);
        assertNotNull(problem, "a wrong password counted as there");
        assertTrue(problem.startsWith("RabbitMQ on " + rabbit.host() + ":" + rabbit.port() + " accepts connections "
                + "but not this client (user " + rabbit.user() + ", virtual host " + rabbit.virtualHost() + "): "),
                problem);
        assertTrue(problem.contains("ACCESS_REFUSED"), problem);
    }

    @Test
    void anUnmetNeedSkipsWithItsReasonAndFailsUnderCi() {
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> Services.unmet("Redis is not reachable on 127.0.0.1:1", "start it", false));
        assertEquals("Redis is not reachable on 127.0.0.1:1: skipping; to run it: start it (under CI=true this fails)",
                skipped.getMessage());
        AssertionError failed = assertThrows(AssertionError.class,
                () -> Services.unmet("Redis is not reachable on 127.0.0.1:1", "start it", true));
        assertEquals("Redis is not reachable on 127.0.0.1:1; CI=true, so this fails instead of skipping; to run it: "
                + "start it", failed.getMessage());
    }

    @Test
    void aProgramIsFoundOnThePathAndAMissingOneIsAnUnmetNeedNamingIt() {
        assertTrue(Files.isExecutable(Services.program("sh", "apt-get install dash")), "sh on the PATH");
        Class<? extends Throwable> unmet = Services.inCi() ? AssertionError.class : TestAbortedException.class;
        Throwable missing = assertThrows(unmet, () -> Services.program("weft-no-such-program", "build it"));
        assertTrue(missing.getMessage().startsWith("weft-no-such-program is not installed (not on the PATH nor in "
                + "/usr/local/sbin, /usr/sbin"), missing.getMessage());
        assertTrue(missing.getMessage().contains("to run it: build it (.ci/run does)"), missing.getMessage());
    }

    @Test
    void theBuildPassesCiThroughAsItIsNeverAsALiteralPlaceholder() {
        String ci = System.getenv("CI");
        assertFalse(ci != null && ci.contains("${"), "CI reached the tests as \"" + ci + "\"");
    }

    @Test
    void aSeedIsFreshOrTheOneGiven() {
        assertEquals(42L, Seeds.parse("42", 7));
        assertEquals(-3L, Seeds.parse(" -3 ", 7));
        assertEquals(7L, Seeds.parse(null, 7));
        assertEquals(7L, Seeds.parse("", 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Seeds.parse("abc", 7));
        assertEquals("-Dweft.test.seed must be a whole number (a seed a test printed), was \"abc\"", e.getMessage());
    }

    @Test
    void describeKeepsEachCauseOnceWithoutStackTraces() {
        Exception e = new RuntimeException("login failed", new IOException("Connection reset"));
        assertEquals("RuntimeException: login failed; caused by IOException: Connection reset", Services.describe(e));
        Exception wrapped = new RuntimeException(new IOException("Connection reset"));
        assertEquals("RuntimeException: java.io.IOException: Connection reset", Services.describe(wrapped));
    }

    /** A port nothing listens on: one the system gave a socket that is now closed. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Accepts every connection, reads nothing, writes nothing, until closed. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    held.add(server.accept());
                }
            } catch (IOException closed) {
                // close() closed the server socket
            }
        });

        SilentServer() throws IOException {}

        int port() {
            return server.getLocalPort();
        }

        int accepted() {
            return held.size();
        }

        @Override
        public void close() throws Exception {
            server.close();
            acceptor.join();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
