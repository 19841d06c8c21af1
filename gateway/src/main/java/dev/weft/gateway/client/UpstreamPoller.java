package dev.weft.gateway.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one event loop that every upstream connection of the process is read through, as nginx's worker reads its
 * upstreams: each connection stays registered for reading from its opening to its close, and when an exchange waits
 * for the response this loop reads it into the exchange's buffer and unparks the exchange's virtual thread.
 *
 * <p>Measured reason: a blocking socket read on a virtual thread first tries the read (which fails while the
 * response is on its way), then re-arms the JDK poller's one-shot registration ({@code epoll_ctl}) and parks; with
 * one upstream wait per proxied request that is two system calls per request that nginx does not make (its
 * registration is made once, and it reads only when epoll said so). Here the registration is made once per
 * connection, the loop reads only ready connections, and the waiting thread parks and is unparked without a
 * system call of its own. Waiting to write (a socket buffer full of request body) is rare and re-arms through
 * {@link SelectionKey#interestOpsOr}.
 *
 * <p>The loop runs on a virtual thread: while connections keep being ready it polls without blocking and yields
 * between polls, as the JDK's own poller threads do; when none is ready it blocks in {@link Selector#select}.
 */
final class UpstreamPoller {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamPoller.class);

    private final Selector selector;

    private UpstreamPoller() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the upstream connections' selector", e);
        }
        Thread.ofVirtual().name("gateway-upstream-poller").start(this::loop);
    }

    private static final class Holder {
        static final UpstreamPoller INSTANCE = new UpstreamPoller();
    }

    /** The process's poller, started on first use. */
    static UpstreamPoller get() {
        return Holder.INSTANCE;
    }

    /** Registers a non-blocking channel for reading, for the whole of its life. */
    SelectionKey register(SocketChannel channel, UpstreamConnection connection) throws IOException {
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ, connection);
        selector.wakeup();
        return key;
    }

    /** Makes the loop apply a change of interest or a close now, when it may be blocked in {@code select}. */
    void wakeup() {
        selector.wakeup();
    }

    private void loop() {
        while (true) {
            try {
                if (selector.selectNow(this::ready) > 0) {
                    Thread.yield();
                } else {
                    selector.select(this::ready);
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("the upstream poller failed; carrying on", e);
            }
        }
    }

    private void ready(SelectionKey key) {
        UpstreamConnection c = (UpstreamConnection) key.attachment();
        int ops;
        try {
            ops = key.readyOps();
        } catch (java.nio.channels.CancelledKeyException e) {
            return;
        }
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            c.writable();
        }
        if ((ops & SelectionKey.OP_READ) != 0) {
            c.readable();
        }
    }
}
