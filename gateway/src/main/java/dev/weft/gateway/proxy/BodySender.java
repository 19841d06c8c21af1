package dev.weft.gateway.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.ReentrantLock;

import dev.weft.gateway.client.ClientBodyException;
import dev.weft.gateway.client.UpstreamConnection;

/**
 * Sends a request body upstream on its own virtual thread while the handler's thread reads the response.
 *
 * <p>Both directions must move at once: an upstream may start answering before it has read the whole body (an
 * echo, a streaming transform, an early 413), and if the gateway finished sending before it read, both sides would
 * block on full socket buffers. A virtual thread per body costs a few hundred bytes; body-less requests, the
 * common case, need none.
 *
 * <p>The server's connection is single-threaded: reading the request body may flush pending response bytes, so a
 * body read must never overlap a response write. {@link #clientLock()} serialises the two: this sender holds it
 * for each read of the client's body, the handler for each write to the client. A read waits for the client only
 * while the client is sending, so the two sides alternate; a client that waits for response bytes before sending
 * more (interactive full duplex) would need a server connection that reads and writes from two threads at once.
 */
final class BodySender {
    private final ReentrantLock clientLock = new ReentrantLock(true);
    private final Thread thread;
    private volatile IOException failure;

    private BodySender(UpstreamConnection c, InputStream body, long length) {
        InputStream locked = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                clientLock.lock();
                try {
                    return body.read(b, off, len);
                } finally {
                    clientLock.unlock();
                }
            }
        };
        this.thread = Thread.ofVirtual().name("gateway-body").start(() -> {
            try {
                c.sendBody(locked, length);
            } catch (IOException e) {
                failure = e;
                if (e instanceof ClientBodyException) {
                    c.close();
                }
            }
        });
    }

    static BodySender start(UpstreamConnection c, InputStream body, long length) {
        return new BodySender(c, body, length);
    }

    /** Held around every write to the client while the sender may still read the client's body. */
    ReentrantLock clientLock() {
        return clientLock;
    }

    /** True when the whole body went out. */
    boolean sentAll() {
        return !thread.isAlive() && failure == null;
    }

    /** Waits for the sender to stop; the caller closes the connection first if it must not wait for the body. */
    void join() {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The failure reading the client's body, or null. */
    ClientBodyException clientFailure() {
        return failure instanceof ClientBodyException e ? e : null;
    }
}
