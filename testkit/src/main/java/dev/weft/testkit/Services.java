package dev.weft.testkit;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * The services that integration tests talk to, and the one rule for what the machine does not have: the test is
 * skipped with a message saying what is missing, except under {@code CI=true}, where it fails.
 *
 * <p>A service counts as there only when a real client logs in and runs a trivial command: {@code SELECT 1} for
 * PostgreSQL, {@code PING} for Redis, a channel opened for RabbitMQ. A port that accepts connections is not enough:
 * a PostgreSQL that asks for a password, or has no {@code test} database, would otherwise let the tests start and
 * fail one by one instead of being skipped with the reason.
 *
 * <p>Call {@link #requirePostgres()}, {@link #requireRedis()} or {@link #requireRabbitMq()} first thing in a test
 * class's {@code @BeforeAll}; each returns the coordinates to use, which come from {@code WEFT_TEST_*} environment
 * variables over the machine's defaults ({@link TestPostgres}, {@link TestRedis}, {@link TestRabbitMq}). The check
 * runs once per JVM and coordinates; it waits at most {@link #CHECK_TIMEOUT} for each step (a server that accepts
 * a connection and says nothing is unavailable after that).
 */
public final class Services {
    /**
     * The bound on each step of a check: connecting, logging in, the command. Generous because the machine may be
     * busy with a build; a service that is down refuses the connection at once.
     */
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

    private static final Map<Object, String> CHECKED = new ConcurrentHashMap<>();

    private Services() {}

    /** True when the build runs in CI, where a missing service is a failure rather than a skip. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The PostgreSQL coordinates, from the {@code WEFT_TEST_PG_*} variables; not checked. */
    public static TestPostgres postgres() {
        return TestPostgres.from(System.getenv());
    }

    /** The Redis coordinates, from the {@code WEFT_TEST_REDIS_*} variables; not checked. */
    public static TestRedis redis() {
        return TestRedis.from(System.getenv());
    }

    /** The RabbitMQ coordinates, from the {@code WEFT_TEST_RABBITMQ_*} variables; not checked. */
    public static TestRabbitMq rabbitMq() {
        return TestRabbitMq.from(System.getenv());
    }

    /** The PostgreSQL to use, once a client has logged in and run {@code SELECT 1}; else skips (fails in CI). */
    public static TestPostgres requirePostgres() {
        TestPostgres pg = postgres();
        require(pg, p -> p.problem(CHECK_TIMEOUT), TestPostgres.PREFIX);
        return pg;
    }

    /** The Redis to use, once a client has logged in and had {@code PONG}; else skips (fails in CI). */
    public static TestRedis requireRedis() {
        TestRedis redis = redis();
        require(redis, r -> r.problem(CHECK_TIMEOUT), TestRedis.PREFIX);
        return redis;
    }

    /** The RabbitMQ to use, once a client has logged in and opened a channel; else skips (fails in CI). */
    public static TestRabbitMq requireRabbitMq() {
        TestRabbitMq rabbit = rabbitMq();
        require(rabbit, r -> r.problem(CHECK_TIMEOUT), TestRabbitMq.PREFIX);
        return rabbit;
    }

    private static <T> void require(T coordinates, Function<T, String> check, String prefix) {
        String problem = CHECKED.computeIfAbsent(coordinates, c -> {
            String p = check.apply(coordinates);
            return p == null ? "" : p;
        });
        if (!problem.isEmpty()) {
            unmet(problem, problem.contains(" is not reachable on ")
                    ? "start it (.ci/run does) or point the " + prefix + "* variables at one"
                    : "set the " + prefix + "* variables to a login it accepts", inCi());
        }
    }

    /**
     * Where programs are looked for after the PATH: Debian installs daemons' tools ({@code rabbitmqctl}) in
     * {@code /usr/sbin}, which a user's PATH (and {@code .ci/fresh-clone}'s) does not hold.
     */
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/opt/homebrew/sbin");

    /**
     * The first executable {@code name} on the PATH or in the system's sbin directories; skips the calling test
     * (or fails it under {@code CI=true}) when there is none. {@code install} says how to get it
     * (e.g. {@code apt-get install chromium}).
     */
    public static Path program(String name, String install) {
        String path = System.getenv().getOrDefault("PATH", "");
        Optional<Path> found = Stream.concat(Stream.of(path.split(File.pathSeparator)), SBIN.stream())
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty()) {
            unmet(name + " is not installed (not on the PATH nor in " + String.join(", ", SBIN) + ")",
                    install + " (.ci/run does)", inCi());
        }
        return found.orElseThrow();
    }

    /**
     * The rule itself, for a need that is not a service: skips the calling test with {@code problem} and how to
     * fix it, or, under {@code CI=true}, fails it. Never returns.
     *
     * @param problem what is missing ({@code "the hard limit of open files is 4096, under the 10,500 needed"})
     * @param remedy  how to get it ({@code "raise it with ulimit -Hn"})
     */
    public static void unmet(String problem, String remedy) {
        unmet(problem, remedy, inCi());
    }

    static void unmet(String problem, String remedy, boolean ci) {
        if (ci) {
            throw new AssertionError(problem + "; CI=true, so this fails instead of skipping; to run it: " + remedy);
        }
        Assumptions.abort(problem + ": skipping; to run it: " + remedy + " (under CI=true this fails)");
    }

    /** Null when {@code host:port} accepts a TCP connection within {@code timeout}; else why not. */
    static String unreachable(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return null;
        } catch (IOException e) {
            return describe(e);
        }
    }

    /** An exception and its causes' messages, for a skip message: what the client said, not a stack trace. */
    static String describe(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null && s.length() < 400; t = t.getCause()) {
            String message = t.getMessage();
            boolean silent = message == null || message.isBlank();
            String part = t.getClass().getSimpleName() + (silent ? "" : ": " + message.strip());
            if (!s.isEmpty() && s.indexOf(silent ? part : message.strip()) >= 0) {
                continue; // a wrapper repeating its cause's message
            }
            s.append(s.isEmpty() ? "" : "; caused by ").append(part);
        }
        return s.toString();
    }
}
