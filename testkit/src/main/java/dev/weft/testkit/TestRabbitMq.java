package dev.weft.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The RabbitMQ the integration tests use: {@code WEFT_TEST_RABBITMQ_HOST} (default 127.0.0.1), {@code _PORT}
 * (5672), {@code _USER} (guest), {@code _PASSWORD} (guest) and {@code _VHOST} (/).
 *
 * @param host        the broker's host
 * @param port        its AMQP port
 * @param user        the user the tests log in as
 * @param password    its password
 * @param virtualHost the virtual host
 */
public record TestRabbitMq(String host, int port, String user, String password, String virtualHost) {
    static final String PREFIX = "WEFT_TEST_RABBITMQ_";

    static TestRabbitMq from(Map<String, String> variables) {
        Env env = new Env(variables);
        return new TestRabbitMq(env.get(PREFIX + "HOST", "127.0.0.1"), env.port(PREFIX + "PORT", 5672),
                env.get(PREFIX + "USER", "guest"), env.raw(PREFIX + "PASSWORD", "guest"),
                env.get(PREFIX + "VHOST", "/"));
    }

    /** A connection factory for these coordinates, without automatic recovery. */
    public ConnectionFactory factory() {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(host);
        f.setPort(port);
        f.setUsername(user);
        f.setPassword(password);
        f.setVirtualHost(virtualHost);
        f.setAutomaticRecoveryEnabled(false);
        return f;
    }

    /** The settings of an {@code events.rabbitmq} section that reach this broker. */
    public Map<String, Object> settings() {
        return Map.of("host", host, "port", port, "username", user, "password", password,
                "virtualHost", virtualHost);
    }

    /** Null when a client can log in and open a channel within about {@code timeout}; else why not. */
    String problem(Duration timeout) {
        String unreachable = Services.unreachable(host, port, timeout);
        if (unreachable != null) {
            return "RabbitMQ is not reachable on " + host + ":" + port + " (" + unreachable + ")";
        }
        ConnectionFactory f = factory();
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        f.setConnectionTimeout(millis);
        f.setHandshakeTimeout(millis);
        f.setShutdownTimeout(millis);
        f.setChannelRpcTimeout(millis);
        try (Connection c = f.newConnection("weft-testkit check"); Channel channel = c.createChannel()) {
            return channel.isOpen() ? null : "RabbitMQ on " + host + ":" + port + " closed the channel it opened";
        } catch (IOException | TimeoutException | RuntimeException e) {
            return "RabbitMQ on " + host + ":" + port + " accepts connections but not this client (user " + user
                    + ", virtual host " + virtualHost + "): " + Services.describe(e);
        }
    }
}
