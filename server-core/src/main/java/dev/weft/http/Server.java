package dev.weft.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;

import dev.weft.config.ConfigException;
import dev.weft.config.ConfigTree;
import dev.weft.config.Problems;
import dev.weft.http.h2.Http2Limits;

/**
 * An HTTP/1.1 server, as Go's {@code http.Server}: an accept loop hands each connection to its own virtual thread
 * ({@link Connection}), which reads requests and calls the {@link Handler}.
 *
 * <pre>{@code
 * Server server = new Server(ServerConfig.defaults(), mux).start();
 * ...
 * ShutdownReport report = server.shutdown(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>The configuration is validated in the constructor ({@link ConfigException} lists every problem, TLS files
 * included). {@code maxConnections} is enforced with a semaphore before {@code accept}: beyond it new clients wait
 * in the kernel's backlog rather than being accepted and starved. Transient accept errors (out of file
 * descriptors, for instance) are retried after a pause that doubles from 5 ms to 1 s, as net/http does.
 *
 * <p>{@link #shutdown} is graceful: it stops accepting, runs the {@link #registerOnShutdown} hooks (readiness turns
 * not-ready through them), closes idle keep-alive connections, lets in-flight requests finish (their responses say
 * {@code Connection: close}), and at the deadline closes what is left, cancelling those requests' contexts, and
 * reports it. {@link #close} does the last step at once.
 */
public final class Server implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    private static final int OUTPUT_BUFFER = 16 * 1024;
    /** Offered through ALPN on TLS, in order of preference (RFC 9113 section 3.2). */
    private static final String[] ALPN = {"h2", "http/1.1"};

    private final ServerConfig config;
    private final Handler handler;
    private final ServerMetrics metrics;
    private final SSLContext tls;
    private final BufferPool pool = new BufferPool(OUTPUT_BUFFER, 64);
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Semaphore permits;
    private final ThreadFactory virtualThreads = Thread.ofVirtual().factory();
    private final ExecutorService platformPool;
    private final List<Runnable> onShutdown = new CopyOnWriteArrayList<>();
    private final AtomicBoolean serving = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final long readHeaderTimeoutNanos;
    private final long readTimeoutNanos;
    private final long writeTimeoutNanos;
    private final long idleTimeoutNanos;
    private final int readHeaderTimeoutMillis;
    private final Http2Limits http2Limits;
    private volatile boolean shuttingDown;
    private volatile ServerSocket listener;
    private volatile InetSocketAddress address;
    private volatile Thread sweeper;

    /** A server without metrics. */
    public Server(ServerConfig config, Handler handler) {
        this(config, handler, null, null);
    }

    /**
     * @param registry where to publish the server's meters; null for none
     * @throws ConfigException listing every problem with {@code config}
     */
    public Server(ServerConfig config, Handler handler, MeterRegistry registry) {
        this(config, handler, registry, null);
    }

    /**
     * A server whose registry is still being made: it serves at once and publishes its meters when
     * {@code registry} completes, the requests served meanwhile included (if it completes exceptionally, the
     * server serves on without meters). Until it completes each request's timing is kept in memory, a few dozen
     * bytes, so the stage must complete: a service's start-up completes it within tens of milliseconds, the time
     * making Prometheus' registry takes, which its first request need not wait for.
     *
     * @throws ConfigException listing every problem with {@code config}
     */
    public Server(ServerConfig config, Handler handler, CompletionStage<? extends MeterRegistry> registry) {
        this(config, handler, null, Objects.requireNonNull(registry, "registry"));
    }

    /** {@code later} replaces {@code registry} when it is not null. */
    private Server(ServerConfig config, Handler handler, MeterRegistry registry,
                   CompletionStage<? extends MeterRegistry> later) {
        Objects.requireNonNull(handler, "handler");
        if (config == null) {
            throw new ConfigException(List.of("server: must be set (ServerConfig.defaults() for the defaults)"));
        }
        this.config = Problems.requireValid("server", config, ServerConfig::validate);
        this.handler = handler;
        this.metrics = later != null ? new ServerMetrics(later) : new ServerMetrics(registry);
        this.tls = config.tls().enabled() ? TlsSupport.context(config.tls()) : null;
        boolean platform = config.executor() == ServerConfig.ExecutorKind.PLATFORM;
        this.permits = new Semaphore(platform ? Math.min(config.maxConnections(), config.platformThreads())
                : config.maxConnections());
        this.platformPool = platform ? Executors.newFixedThreadPool(config.platformThreads(),
                Thread.ofPlatform().name("weft-worker-", 0).daemon(true).factory()) : null;
        this.readHeaderTimeoutNanos = config.readHeaderTimeout().toNanos();
        this.readTimeoutNanos = config.readTimeout().toNanos();
        this.writeTimeoutNanos = config.writeTimeout().toNanos();
        this.idleTimeoutNanos = config.idleTimeout().toNanos();
        this.readHeaderTimeoutMillis = millis(config.readHeaderTimeout());
        this.http2Limits = new Http2Limits(config.maxConcurrentStreams(), config.maxHeaderBytes(),
                config.maxBodyBytes(), readHeaderTimeoutNanos, readTimeoutNanos, writeTimeoutNanos, idleTimeoutNanos);
    }

    /**
     * Serves {@code handler} on {@code addr} ({@code ":8080"}, {@code "127.0.0.1:8080"}, {@code "[::1]:8080"}) with
     * the default configuration; blocks until the server is shut down.
     */
    public static void listenAndServe(String addr, Handler handler) throws IOException {
        int colon = addr.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigException(List.of("server.address: must be host:port or :port, was \"" + addr + "\""));
        }
        String host = addr.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        // The port as text, so that it is read and checked as a file's would be.
        ConfigTree tree = ConfigTree.of(Map.of("server",
                Map.of("host", host.isEmpty() ? "0.0.0.0" : host, "port", addr.substring(colon + 1))));
        ServerConfig config = tree.read(root -> ServerConfig.from(root.section("server")));
        new Server(config, handler).listenAndServe();
    }

    /** Binds the configured address and serves on the calling thread until {@link #shutdown} or {@link #close}. */
    public void listenAndServe() throws IOException {
        serve(listen(config));
    }

    /** Binds the configured address and serves on a background thread; {@link #address()} is then known. */
    public Server start() throws IOException {
        return start(listen(config));
    }

    /**
     * Serves connections accepted from {@code l}, bound by the caller with {@link #listen}, on a background thread;
     * {@link #address()} is then known. The split of Go's {@code net.Listen} and {@code Server.Serve}: a process can
     * bind as soon as it has read its address, before the rest of its start-up, and the clients that connect
     * meanwhile wait in the kernel's backlog to be served rather than being refused.
     */
    public Server start(ServerSocket l) {
        listener = l;
        address = (InetSocketAddress) l.getLocalSocketAddress();
        Thread.ofPlatform().name("weft-accept-" + address.getPort()).start(new Runnable() {
            @Override
            public void run() {
                try {
                    serve(l);
                } catch (IOException | RuntimeException e) {
                    LOG.error("server on {} stopped", address, e);
                }
            }
        });
        return this;
    }

    /**
     * Serves connections accepted from {@code listener} until {@link #shutdown} or {@link #close}; returns when the
     * server has stopped. The listener is closed then.
     */
    public void serve(ServerSocket listener) throws IOException {
        if (!serving.compareAndSet(false, true) && this.listener != listener) {
            throw new IllegalStateException("this server is already serving");
        }
        this.listener = listener;
        this.address = (InetSocketAddress) listener.getLocalSocketAddress();
        if (shuttingDown) {
            listener.close();
            return;
        }
        startSweeper();
        LOG.info("serving HTTP{} on {}", tls != null ? "S" : "", address);
        acceptLoop(listener);
        if (!shuttingDown) {
            close();
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The bound address (with the real port when 0 was configured); null before binding. */
    public InetSocketAddress address() {
        return address;
    }

    /** Adds a hook that {@link #shutdown} runs right after it stops accepting, in registration order. */
    public void registerOnShutdown(Runnable hook) {
        onShutdown.add(Objects.requireNonNull(hook));
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /**
     * How many HTTP/1.1 connections wait for their next request now. A response reaches the client before its
     * connection goes back to waiting, so a test that needs a connection idle (as a shutdown would find it) waits
     * for this count rather than for the response.
     */
    int idleConnections() {
        int n = 0;
        for (Connection c : connections) {
            if (c.isIdle()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Stops gracefully within {@code grace}: stops accepting, runs the shutdown hooks, closes idle connections, waits
     * for in-flight requests, and force-closes what is still open at the deadline. Returns what it did.
     */
    public ShutdownReport shutdown(Duration grace) {
        long begin = System.nanoTime();
        long deadline = begin + grace.toNanos();
        if (!stopping.compareAndSet(false, true)) {
            awaitStopped();
            return new ShutdownReport(Duration.ofNanos(System.nanoTime() - begin), 0, 0, 0, List.of());
        }
        shuttingDown = true;
        closeListener();
        for (Runnable hook : onShutdown) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.warn("shutdown hook failed", e);
            }
        }
        int open = connections.size();
        int idle = 0;
        long pause = 1;
        while (true) {
            for (Connection c : connections) {
                if (c.closeIfIdle()) {
                    idle++;
                }
            }
            long left = deadline - System.nanoTime();
            if (connections.isEmpty() || left <= 0) {
                break;
            }
            sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            pause = Math.min(pause * 2, 50);
        }
        List<String> cut = new ArrayList<>();
        int forced = 0;
        for (Connection c : connections) {
            c.inFlight(cut);
            c.forceClose(Context.Cause.SERVER_SHUTDOWN);
            forced++;
        }
        stopWorkers();
        ShutdownReport report = new ShutdownReport(Duration.ofNanos(System.nanoTime() - begin), idle,
                Math.max(0, open - idle - forced), forced, cut);
        if (forced > 0) {
            LOG.warn("{}", report);
        } else {
            LOG.info("{}", report);
        }
        stopped.countDown();
        return report;
    }

    /** Stops at once: closes the listener and every connection, cancelling in-flight requests. */
    @Override
    public void close() {
        shuttingDown = true;
        if (!stopping.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        closeListener();
        for (Connection c : connections) {
            c.forceClose(Context.Cause.SERVER_SHUTDOWN);
        }
        stopWorkers();
        stopped.countDown();
    }

    private void acceptLoop(ServerSocket l) {
        long backoff = 0;
        while (!shuttingDown) {
            try {
                if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Socket s;
            try {
                s = l.accept();
            } catch (IOException e) {
                permits.release();
                if (shuttingDown || l.isClosed()) {
                    return;
                }
                backoff = backoff == 0 ? 5 : Math.min(backoff * 2, 1000);
                LOG.warn("accept failed: {}; retrying in {} ms", e.toString(), backoff);
                sleep(backoff);
                continue;
            }
            backoff = 0;
            if (shuttingDown) {
                reject(s);
                return;
            }
            dispatch(s);
        }
    }

    private void dispatch(Socket s) {
        Connection c;
        try {
            s.setTcpNoDelay(true);
            Socket socket = tls == null ? s
                    : tls.getSocketFactory().createSocket(s, null, true);
            if (socket instanceof SSLSocket ssl) {
                ssl.setUseClientMode(false);
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setApplicationProtocols(ALPN);
                ssl.setSSLParameters(parameters);
            }
            c = new Connection(this, socket);
        } catch (IOException e) {
            reject(s);
            return;
        }
        connections.add(c);
        metrics.connectionOpened();
        try {
            if (platformPool != null) {
                platformPool.execute(c);
            } else {
                virtualThreads.newThread(c).start();
            }
        } catch (RejectedExecutionException e) {
            connectionClosed(c);
            reject(s);
        }
    }

    private void reject(Socket s) {
        metrics.connectionRejected();
        permits.release();
        try {
            s.close();
        } catch (IOException ignored) {
            // the client is gone either way
        }
    }

    void connectionClosed(Connection c) {
        if (connections.remove(c)) {
            metrics.connectionClosed();
            permits.release();
        }
    }

    /**
     * A listening socket on {@code config}'s host, port and backlog, for {@link #start(ServerSocket)}: from then on
     * the kernel accepts connections into the backlog, which the server takes once it serves.
     *
     * @throws IOException when the address cannot be bound (in use, not local), the address in the message
     */
    public static ServerSocket listen(ServerConfig config) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(new InetSocketAddress(config.host(), config.port()), config.backlog());
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        return s;
    }

    private void closeListener() {
        ServerSocket l = listener;
        if (l != null) {
            try {
                l.close();
            } catch (IOException e) {
                LOG.debug("closing the listener failed", e);
            }
        }
    }

    /**
     * Enforces the deadlines that socket timeouts do not: a write blocked past writeTimeout (blocking writes have no
     * timeout of their own), and the wait of an idle connection for its next request (see Connection).
     */
    private void startSweeper() {
        long shortest = Math.min(writeTimeoutNanos, Math.min(idleTimeoutNanos, readHeaderTimeoutNanos));
        long tick = Math.clamp(shortest / 8, 10_000_000L, 1_000_000_000L);
        sweeper = Thread.ofPlatform().name("weft-deadlines").daemon(true).start(new Runnable() {
            @Override
            public void run() {
                // parkNanos rather than sleep: stopWorkers interrupts it, and the loop ends
                while (!Thread.currentThread().isInterrupted()) {
                    LockSupport.parkNanos(tick);
                    sweep(System.nanoTime());
                }
            }
        });
    }

    private void sweep(long now) {
        for (Connection c : connections) {
            if (c.closeIfIdleExpired(now)) {
                continue;
            }
            if (c.writeOverdue(now)) {
                LOG.debug("closing a connection whose write exceeded writeTimeout");
                c.forceClose(Context.Cause.WRITE_FAILED);
            }
        }
    }

    private void stopWorkers() {
        Thread s = sweeper;
        if (s != null) {
            s.interrupt();
        }
        if (platformPool != null) {
            platformPool.shutdown();
        }
    }

    private void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    ServerConfig config() {
        return config;
    }

    Handler handler() {
        return handler;
    }

    ServerMetrics metrics() {
        return metrics;
    }

    BufferPool pool() {
        return pool;
    }

    long readHeaderTimeoutNanos() {
        return readHeaderTimeoutNanos;
    }

    long readTimeoutNanos() {
        return readTimeoutNanos;
    }

    long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    long writeTimeoutNanos() {
        return writeTimeoutNanos;
    }

    Http2Limits http2Limits() {
        return http2Limits;
    }

    int readHeaderTimeoutMillis() {
        return readHeaderTimeoutMillis;
    }
}
