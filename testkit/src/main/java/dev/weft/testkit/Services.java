package dev.weft.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.junit.jupiter.api.Assumptions;

/**
 * The local services that integration tests talk to, and the one rule for when one is absent: the test is skipped
 * with a message naming the service, except under {@code CI=true}, where an absent service fails the test.
 *
 * <p>Call one of the {@code require...} methods first thing in a test class's {@code @BeforeAll}. The addresses are
 * the machine's defaults; {@code WEFT_PG_URL}, {@code WEFT_REDIS} and {@code WEFT_AMQP} in the environment point
 * the tests elsewhere.
 */
public final class Services {
    /** JDBC URL of the PostgreSQL that the tests use (trust auth, database {@code test}). */
    public static final String POSTGRES_URL = env("WEFT_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    /** The PostgreSQL user: trust auth takes any existing role, and {@code postgres} always exists. */
    public static final String POSTGRES_USER = env("WEFT_PG_USER", "postgres");
    private static final String PG_HOST = env("WEFT_PG_HOST", "127.0.0.1");
    private static final int PG_PORT = Integer.parseInt(env("WEFT_PG_PORT", "5432"));
    public static final String REDIS_HOST = hostOf(env("WEFT_REDIS", "127.0.0.1:6379"));
    public static final int REDIS_PORT = portOf(env("WEFT_REDIS", "127.0.0.1:6379"));
    public static final String AMQP_HOST = hostOf(env("WEFT_AMQP", "127.0.0.1:5672"));
    public static final int AMQP_PORT = portOf(env("WEFT_AMQP", "127.0.0.1:5672"));

    private Services() {}

    /** True when the build runs in CI, where a missing service is a failure rather than a skip. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static void requirePostgres() {
        require("PostgreSQL", PG_HOST, PG_PORT);
    }

    public static void requireRedis() {
        require("Redis", REDIS_HOST, REDIS_PORT);
    }

    public static void requireRabbitMq() {
        require("RabbitMQ", AMQP_HOST, AMQP_PORT);
    }

    /**
     * Skips the calling test (or fails it under {@code CI=true}) unless {@code host:port} accepts a TCP connection
     * within one second.
     */
    public static void require(String service, String host, int port) {
        if (reachable(host, port)) {
            return;
        }
        String message = service + " is not reachable on " + host + ":" + port;
        if (inCi()) {
            throw new AssertionError(message + " and CI=true: start it (see .ci/run) instead of skipping these tests");
        }
        Assumptions.abort(message + ": skipping these tests (start it to run them; under CI=true this fails)");
    }

    /**
     * Skips the calling test (or fails it under {@code CI=true}) unless {@code program} is an executable file;
     * {@code install} says how to get it (e.g. {@code apt-get install chromium}).
     */
    public static void requireProgram(java.nio.file.Path program, String install) {
        if (java.nio.file.Files.isExecutable(program)) {
            return;
        }
        String message = program + " is not installed";
        if (inCi()) {
            throw new AssertionError(message + " and CI=true: install it (" + install + "; .ci/run does) instead of "
                    + "skipping these tests");
        }
        Assumptions.abort(message + ": skipping these tests (" + install + " to run them; under CI=true this fails)");
    }

    /** True when {@code host:port} accepts a TCP connection within one second. */
    public static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String hostOf(String hostPort) {
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }

    private static int portOf(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
