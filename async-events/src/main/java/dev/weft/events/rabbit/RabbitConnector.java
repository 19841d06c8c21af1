package dev.weft.events.rabbit;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * One named connection to the broker, opened on first use. Once open, the client's automatic recovery reconnects
 * it and re-declares its exchanges, queues, bindings and consumers (topology recovery) after a network failure. The
 * first connect is not covered by that recovery, so this class retries it itself, at most once per
 * {@code recoveryInterval}: an application can start, and its outbox keep accepting events, while the broker is
 * down.
 *
 * <p>Declarations go through one long-lived topology channel: the client records each declaration with the channel
 * that made it and replays it on that channel after a reconnect, so declaring on a channel that is closed
 * afterwards would make the recovery fail.
 */
final class RabbitConnector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RabbitConnector.class);

    private final RabbitConfig config;
    private final String name;
    private final ConnectionFactory factory;
    private final RabbitTopology topology;
    private volatile Connection connection;
    private Channel topologyChannel;
    private long lastAttemptNanos;
    private IOException lastFailure;
    private boolean closed;

    RabbitConnector(RabbitConfig config, String suffix, RabbitTopology topology) {
        this.config = config;
        this.name = config.connectionName() + "-" + suffix;
        this.topology = topology;
        this.factory = new ConnectionFactory();
        factory.setHost(config.host());
        factory.setPort(config.port());
        factory.setUsername(config.username());
        factory.setPassword(config.password());
        factory.setVirtualHost(config.virtualHost());
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(config.recoveryInterval().toMillis());
        factory.setConnectionTimeout((int) config.connectTimeout().toMillis());
        factory.setHandshakeTimeout((int) config.connectTimeout().toMillis());
        factory.setRequestedHeartbeat((int) Math.max(1, config.heartbeat().toSeconds()));
    }

    String name() {
        return name;
    }

    String address() {
        return "amqp://" + config.host() + ":" + config.port() + config.virtualHost();
    }

    /** The connection, opening it if needed; throws at once if the last attempt failed less than an interval ago. */
    Connection get() throws IOException {
        Connection c = connection;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (closed) {
                throw new IOException("connection " + name + " is closed");
            }
            if (connection != null) {
                return connection;
            }
            long now = System.nanoTime();
            if (lastFailure != null && now - lastAttemptNanos < config.recoveryInterval().toNanos()) {
                throw lastFailure;
            }
            lastAttemptNanos = now;
            try {
                Connection opened = factory.newConnection(name);
                topologyChannel = opened.createChannel();
                topology.declareExchanges(topologyChannel);
                connection = opened;
                lastFailure = null;
                log.info("connected {} to {}", name, address());
                return opened;
            } catch (IOException | TimeoutException e) {
                lastFailure = new IOException("cannot connect to RabbitMQ at " + address() + ": " + e, e);
                throw lastFailure;
            }
        }
    }

    /** What {@link #declare} runs on the topology channel. */
    interface Declaration {
        void run(Channel channel) throws IOException;
    }

    /**
     * Runs declarations on the topology channel, one caller at a time; reopens the channel if a failed declaration
     * (a PRECONDITION_FAILED, say) closed it.
     */
    void declare(Declaration declaration) throws IOException {
        Connection c = get();
        synchronized (this) {
            if (!topologyChannel.isOpen()) {
                topologyChannel = c.createChannel();
            }
            declaration.run(topologyChannel);
        }
    }

    /** True when connected now (not closed, not recovering). */
    boolean isOpen() {
        Connection c = connection;
        return c != null && c.isOpen();
    }

    /** Why the connection is not open, for the health check. */
    synchronized String problem() {
        if (connection == null) {
            return lastFailure != null ? lastFailure.getMessage() : "not connected to " + address() + " yet";
        }
        return "connection " + name + " to " + address() + " is down (recovering)";
    }

    @Override
    public void close() {
        Connection c;
        synchronized (this) {
            closed = true;
            c = connection;
            connection = null;
        }
        if (c != null) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                log.debug("closing {}: {}", name, e.toString());
            }
        }
    }
}
