package dev.weft.cache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Connection;

/**
 * Cross-node L1 invalidation over Redis pub/sub, on the channel {@code <prefix>:invalidations}.
 *
 * <p>A message is {@code <node id> LF <cache name> LF K<key text>} for one key, or {@code ... LF A} for a whole cache.
 * A node ignores its own messages (it has already updated its L1).
 *
 * <p>Pub/sub delivers at most once: a node that is not subscribed misses messages for good. So the bus tells its
 * {@link Listener} to {@link Listener#reset() reset} (clear L1) whenever the subscription is lost or (re)made, and
 * {@link #subscribed()} is false in between, during which the caches do not use L1 unless Redis is unreachable
 * altogether. Loss is detected by
 * the connection failing or, for a silent network, by a heartbeat: the subscriber pings every {@code heartbeat}, and
 * three pings in a row without any traffic from Redis count as a loss (the connection is then dropped and remade);
 * counted in pings, not in time, so that a starved machine's delays do not drop a live subscription
 * ({@link Heartbeat}).
 */
public final class InvalidationBus implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InvalidationBus.class);

    /** What the bus tells the caches. */
    public interface Listener {
        /** Another node changed {@code keyText} of {@code cache}, or the whole cache when {@code keyText} is null. */
        void invalidated(String cache, String keyText);

        /** Messages may have been missed: every L1 must be cleared. */
        void reset();

        /**
         * {@link #subscribed()} changed: called after the change; on a loss before {@link #reset()}, on a new
         * subscription after it.
         */
        void subscriptionChanged();
    }

    private final RedisStore store;
    private final String nodeId;
    private final Listener listener;
    private final byte[] channel;
    private final long heartbeatNanos;
    private final Thread subscriber;
    private final Thread watchdog;
    private volatile Subscription current;
    private volatile boolean subscribed;
    private final AtomicLong losses = new AtomicLong();
    private volatile boolean closed;

    public InvalidationBus(RedisStore store, String nodeId, Listener listener) {
        this.store = store;
        this.nodeId = nodeId;
        this.listener = listener;
        this.channel = (store.config().keyPrefix() + ":invalidations").getBytes(StandardCharsets.UTF_8);
        this.heartbeatNanos = store.config().heartbeat().toNanos();
        this.subscriber = Thread.ofVirtual().name("weft-cache-invalidations").unstarted(this::subscribeLoop);
        this.watchdog = Thread.ofVirtual().name("weft-cache-heartbeat").unstarted(this::heartbeatLoop);
    }

    public InvalidationBus start() {
        subscriber.start();
        watchdog.start();
        return this;
    }

    /** True while this node holds a live subscription. */
    public boolean subscribed() {
        return subscribed;
    }

    /** How many times a live subscription was lost (the connection failed or the heartbeat went unanswered). */
    public long losses() {
        return losses.get();
    }

    /** Tells the other nodes that {@code keyText} of {@code cache} changed ({@code null}: all of it). */
    public void publish(String cache, String keyText) {
        String message = nodeId + '\n' + cache + '\n' + (keyText == null ? "A" : "K" + keyText);
        store.publish(channel, message.getBytes(StandardCharsets.UTF_8));
    }

    private void subscribeLoop() {
        boolean warned = false;
        while (!closed) {
            Subscription subscription = new Subscription();
            try (Connection connection = store.dedicatedConnection()) {
                subscription.connection = connection;
                current = subscription;
                if (closed) {
                    // close() may have run while the connection was being made, and missed it: do not subscribe.
                    break;
                }
                subscription.proceed(connection, channel);
            } catch (RuntimeException e) {
                if (!closed && !warned) {
                    log.warn("Invalidation subscription lost, L1 is off until it is back: {}", e.toString());
                    warned = true;
                }
            } finally {
                lose();
            }
            if (subscription.confirmed) {
                warned = false;
            }
            if (!closed) {
                LockSupport.parkNanos(heartbeatNanos);
            }
        }
    }

    private void heartbeatLoop() {
        Subscription watched = null;
        Heartbeat heartbeat = null;
        while (!closed) {
            LockSupport.parkNanos(heartbeatNanos);
            Subscription s = current;
            if (s == null || !s.confirmed || s.dropped) {
                continue;
            }
            if (s != watched) {
                watched = s;
                heartbeat = new Heartbeat(heartbeatNanos);
            }
            long now = System.nanoTime();
            switch (heartbeat.tick(now, s.lastHeard)) {
                case WAIT -> { }
                case DROP -> {
                    log.warn("Invalidation subscription silent for {} ({} pings unanswered); dropping it and"
                            + " clearing L1", Duration.ofNanos(now - s.lastHeard), Heartbeat.MISSES);
                    drop(s);
                }
                case PING -> {
                    try {
                        s.ping();
                    } catch (RuntimeException e) {
                        drop(s);
                    }
                }
            }
        }
    }

    private void drop(Subscription s) {
        s.dropped = true;
        lose();
        try {
            s.connection.forceDisconnect();
        } catch (Exception ignored) {
            // the subscriber thread sees the broken socket and reconnects
        }
    }

    private void lose() {
        if (subscribed) {
            subscribed = false;
            losses.incrementAndGet();
            listener.subscriptionChanged();
            listener.reset();
        }
    }

    @Override
    public void close() {
        closed = true;
        Subscription s = current;
        if (s != null && s.connection != null) {
            try {
                s.connection.forceDisconnect();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        subscriber.interrupt();
        watchdog.interrupt();
    }

    private final class Subscription extends BinaryJedisPubSub {
        volatile Connection connection;
        volatile long lastHeard = System.nanoTime();
        volatile boolean confirmed;
        volatile boolean dropped;

        @Override
        public void onSubscribe(byte[] channel, int subscribedChannels) {
            lastHeard = System.nanoTime();
            confirmed = true;
            listener.reset();
            subscribed = true;
            listener.subscriptionChanged();
        }

        @Override
        public void onPong(byte[] pattern) {
            lastHeard = System.nanoTime();
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
            lastHeard = System.nanoTime();
            String text = new String(message, StandardCharsets.UTF_8);
            int first = text.indexOf('\n');
            int second = first < 0 ? -1 : text.indexOf('\n', first + 1);
            if (second < 0 || second + 1 >= text.length()) {
                log.warn("Ignoring a malformed invalidation message: {}", text);
                return;
            }
            if (text.startsWith(nodeId) && first == nodeId.length()) {
                return;
            }
            String cache = text.substring(first + 1, second);
            char kind = text.charAt(second + 1);
            listener.invalidated(cache, kind == 'K' ? text.substring(second + 2) : null);
        }
    }
}
