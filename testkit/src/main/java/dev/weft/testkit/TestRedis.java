package dev.weft.testkit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The Redis the integration tests use: {@code WEFT_TEST_REDIS_HOST} (default 127.0.0.1), {@code _PORT} (6379),
 * {@code _USER} and {@code _PASSWORD} (none: the machine's server has no password).
 *
 * @param host     the server's host
 * @param port     its port
 * @param user     the ACL user, empty for the default user
 * @param password its password, empty for none
 */
public record TestRedis(String host, int port, String user, String password) {
    static final String PREFIX = "WEFT_TEST_REDIS_";

    static TestRedis from(Map<String, String> variables) {
        Env env = new Env(variables);
        return new TestRedis(env.get(PREFIX + "HOST", "127.0.0.1"), env.port(PREFIX + "PORT", 6379),
                env.raw(PREFIX + "USER", ""), env.raw(PREFIX + "PASSWORD", ""));
    }

    /** {@code host:port}, as a Redis section's {@code nodes} lists it. */
    public String address() {
        return host + ":" + port;
    }

    /**
     * The settings of a {@code redis} section (the cache's, the gateway's rate limit's) that reach this server:
     * {@code nodes}, and {@code user} and {@code password} when set.
     */
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("nodes", List.of(address()));
        if (!user.isEmpty()) {
            s.put("user", user);
        }
        if (!password.isEmpty()) {
            s.put("password", password);
        }
        return s;
    }

    /** A new client, logged in as {@link #user()} when the coordinates name one. */
    public Jedis client() {
        return client(Duration.ofSeconds(2));
    }

    private Jedis client(Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        return new Jedis(new HostAndPort(host, port), DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis).socketTimeoutMillis(millis)
                .user(user.isEmpty() ? null : user).password(password.isEmpty() ? null : password)
                .clientName("weft-testkit").build());
    }

    /** Null when a client can log in and get {@code PONG} for {@code PING} within {@code timeout}; else why not. */
    String problem(Duration timeout) {
        String unreachable = Services.unreachable(host, port, timeout);
        if (unreachable != null) {
            return "Redis is not reachable on " + address() + " (" + unreachable + ")";
        }
        try (Jedis jedis = client(timeout)) {
            String pong = jedis.ping();
            return "PONG".equals(pong) ? null : "Redis on " + address() + " answered PING with " + pong;
        } catch (RuntimeException e) {
            return "Redis on " + address() + " accepts connections but not this client ("
                    + (user.isEmpty() ? "default user" : "user " + user)
                    + (password.isEmpty() ? ", no password" : ", a password") + "): " + Services.describe(e);
        }
    }
}
