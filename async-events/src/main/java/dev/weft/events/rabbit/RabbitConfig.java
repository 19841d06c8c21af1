package dev.weft.events.rabbit;

import java.time.Duration;

import dev.weft.events.Configs;
import dev.weft.http.ConfigException;
import dev.weft.http.config.Problems;

/**
 * The RabbitMQ transport's settings. Immutable; {@link #validate(String)} lists every problem. The module README
 * gives the reason for each default.
 *
 * @param host             broker host
 * @param port             broker AMQP port
 * @param username         broker user
 * @param password         broker password
 * @param virtualHost      broker virtual host
 * @param exchange         the topic exchange events are published to; also the prefix of every queue and of the
 *                         dead-letter exchange {@code <exchange>.dlx}, so one name namespaces the whole topology
 * @param connectionName   client-provided connection name prefix, shown by {@code rabbitmqctl list_connections}
 *                         ({@code -publish} and {@code -consume} are appended)
 * @param publishChannels  channels in the publishing pool: how many threads can publish at the same moment
 * @param confirmWindow    unconfirmed publishes per channel at most; a publisher blocks beyond it
 * @param confirmTimeout   a publish not confirmed within this fails (and the outbox retries it)
 * @param connectTimeout   TCP connect and AMQP handshake timeout
 * @param recoveryInterval pause between reconnection attempts after a connection loss
 * @param heartbeat        AMQP heartbeat: how fast a dead peer is noticed
 */
public record RabbitConfig(String host, int port, String username, String password, String virtualHost,
                           String exchange, String connectionName, int publishChannels, int confirmWindow,
                           Duration confirmTimeout, Duration connectTimeout, Duration recoveryInterval,
                           Duration heartbeat) {

    public static RabbitConfig defaults() {
        return new RabbitConfig("127.0.0.1", 5672, "guest", "guest", "/", "weft.events", "weft",
                4, 100, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofSeconds(15));
    }

    public RabbitConfig withAddress(String host, int port) {
        return new RabbitConfig(host, port, username, password, virtualHost, exchange, connectionName,
                publishChannels, confirmWindow, confirmTimeout, connectTimeout, recoveryInterval, heartbeat);
    }

    public RabbitConfig withCredentials(String username, String password) {
        return new RabbitConfig(host, port, username, password, virtualHost, exchange, connectionName,
                publishChannels, confirmWindow, confirmTimeout, connectTimeout, recoveryInterval, heartbeat);
    }

    public RabbitConfig withExchange(String exchange) {
        return new RabbitConfig(host, port, username, password, virtualHost, exchange, connectionName,
                publishChannels, confirmWindow, confirmTimeout, connectTimeout, recoveryInterval, heartbeat);
    }

    public RabbitConfig withConnectionName(String connectionName) {
        return new RabbitConfig(host, port, username, password, virtualHost, exchange, connectionName,
                publishChannels, confirmWindow, confirmTimeout, connectTimeout, recoveryInterval, heartbeat);
    }

    public RabbitConfig withPublishing(int publishChannels, int confirmWindow, Duration confirmTimeout) {
        return new RabbitConfig(host, port, username, password, virtualHost, exchange, connectionName,
                publishChannels, confirmWindow, confirmTimeout, connectTimeout, recoveryInterval, heartbeat);
    }

    public RabbitConfig withRecoveryInterval(Duration recoveryInterval) {
        return new RabbitConfig(host, port, username, password, virtualHost, exchange, connectionName,
                publishChannels, confirmWindow, confirmTimeout, connectTimeout, recoveryInterval, heartbeat);
    }

    /** Returns this config, or throws {@link ConfigException} listing every problem under {@code prefix}. */
    public RabbitConfig validate(String prefix) {
        Problems problems = new Problems();
        if (host == null || host.isBlank()) {
            problems.add(prefix + "host: required");
        }
        problems.between(prefix + "port", port, 1, 65535);
        if (username == null || username.isEmpty()) {
            problems.add(prefix + "username: required");
        }
        if (password == null) {
            problems.add(prefix + "password: required (may be empty)");
        }
        if (virtualHost == null || virtualHost.isEmpty()) {
            problems.add(prefix + "virtualHost: required (\"/\" for the default)");
        }
        Configs.name(prefix + "exchange", exchange, problems);
        Configs.name(prefix + "connectionName", connectionName, problems);
        problems.between(prefix + "publishChannels", publishChannels, 1, 256);
        problems.between(prefix + "confirmWindow", confirmWindow, 1, 100_000);
        problems.positive(prefix + "confirmTimeout", confirmTimeout);
        problems.positive(prefix + "connectTimeout", connectTimeout);
        problems.positive(prefix + "recoveryInterval", recoveryInterval);
        problems.positive(prefix + "heartbeat", heartbeat);
        Problems.throwIfAny(problems.list());
        return this;
    }
}
