package dev.weft.events.rabbit;

import java.time.Duration;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;
import dev.weft.events.Configs;

/**
 * The RabbitMQ transport's settings: the {@code events.rabbitmq} section. Immutable; {@link #validate} lists every
 * problem. The service README gives the reason for each default.
 *
 * @param host             broker host
 * @param port             broker AMQP port
 * @param username         broker user
 * @param password         broker password (may be empty)
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

    /**
     * Reads the section; an absent key keeps its default. It does not validate: whether these settings matter
     * depends on the events' mode, so {@link dev.weft.events.service.EventsConfig} validates them in RabbitMQ mode
     * only, and {@link RabbitEvents} validates what it is handed. A value of the wrong type or unit is still a problem.
     */
    public static RabbitConfig from(ConfigSection s) {
        // Spelt out rather than read by reflection (ConfigSection.read): this runs before a service binds.
        RabbitConfig d = defaults();
        return new RabbitConfig(
                s.string("host", d.host),
                s.integer("port", d.port),
                s.string("username", d.username),
                s.string("password", d.password),
                s.string("virtualHost", d.virtualHost),
                s.string("exchange", d.exchange),
                s.string("connectionName", d.connectionName),
                s.integer("publishChannels", d.publishChannels),
                s.integer("confirmWindow", d.confirmWindow),
                s.duration("confirmTimeout", d.confirmTimeout),
                s.duration("connectTimeout", d.connectTimeout),
                s.duration("recoveryInterval", d.recoveryInterval),
                s.duration("heartbeat", d.heartbeat));
    }

    /** Adds every problem under {@code path} ({@code events.rabbitmq}). */
    public void validate(String path, Problems problems) {
        problems.required(Configs.join(path, "host"), host);
        problems.port(Configs.join(path, "port"), port);
        problems.required(Configs.join(path, "username"), username);
        if (password == null) {
            problems.add(Configs.join(path, "password"), "must be set (may be empty)");
        }
        if (virtualHost == null || virtualHost.isEmpty()) {
            problems.add(Configs.join(path, "virtualHost"), "must be set (\"/\" for the default)");
        }
        Configs.name(Configs.join(path, "exchange"), exchange, problems);
        Configs.name(Configs.join(path, "connectionName"), connectionName, problems);
        problems.between(Configs.join(path, "publishChannels"), publishChannels, 1, 256);
        problems.between(Configs.join(path, "confirmWindow"), confirmWindow, 1, 100_000);
        problems.positive(Configs.join(path, "confirmTimeout"), confirmTimeout);
        problems.positive(Configs.join(path, "connectTimeout"), connectTimeout);
        problems.positive(Configs.join(path, "recoveryInterval"), recoveryInterval);
        problems.positive(Configs.join(path, "heartbeat"), heartbeat);
    }
}
