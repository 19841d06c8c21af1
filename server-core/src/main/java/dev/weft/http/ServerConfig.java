package dev.weft.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.weft.http.config.Problems;

/**
 * The server's immutable configuration. Build it from {@link #defaults()} with {@link #toBuilder()}, or load it
 * from a file and the environment with {@code dev.weft.http.config.ConfigFile} and {@code ServerConfigs};
 * {@link #validate()} lists every problem at once and the server refuses to start on any.
 *
 * <p>The defaults are meant to be safe on the open internet; the module README gives the reason for each.
 *
 * @param host              the address to bind; {@code 0.0.0.0} for every interface
 * @param port              the port to bind, 0 for an ephemeral one
 * @param readHeaderTimeout how long a client may take to send the request line and headers (slow-loris guard)
 * @param readTimeout       how long a client may take to send a whole request, headers and body
 * @param writeTimeout      how long one response may take to write; a client that stops reading is cut off
 * @param idleTimeout       how long a keep-alive connection may wait for its next request
 * @param maxRequestLineBytes longest request line accepted (414 beyond)
 * @param maxHeaderBytes    largest header section accepted, request line excluded (431 beyond)
 * @param maxBodyBytes      largest request body accepted (413 beyond)
 * @param maxConnections    open connections at most; the accept loop waits for a free slot beyond it
 * @param backlog           the listen backlog passed to the kernel
 * @param maxDrainBytes     unread request body the server reads and discards to keep a connection usable
 * @param executor          what runs connections: virtual threads, or a bounded pool of platform threads
 * @param platformThreads   the pool size when {@code executor} is {@link ExecutorKind#PLATFORM}
 * @param shutdownTimeout   the default grace period of {@link Server#shutdown} on a signal
 * @param accessLog         log one line per request through SLF4J logger {@code dev.weft.http.access}
 * @param serverHeader      the {@code Server} header value; empty to send none
 * @param tls               TLS settings; {@link TlsConfig#disabled()} for plain HTTP
 */
public record ServerConfig(
        String host,
        int port,
        Duration readHeaderTimeout,
        Duration readTimeout,
        Duration writeTimeout,
        Duration idleTimeout,
        int maxRequestLineBytes,
        int maxHeaderBytes,
        long maxBodyBytes,
        int maxConnections,
        int backlog,
        long maxDrainBytes,
        ExecutorKind executor,
        int platformThreads,
        Duration shutdownTimeout,
        boolean accessLog,
        String serverHeader,
        TlsConfig tls) {

    /** What runs each connection. */
    public enum ExecutorKind {
        /** One new virtual thread per connection: the default, and the model this server is built for. */
        VIRTUAL,
        /** A fixed pool of platform threads, for comparison with the thread-per-request model. */
        PLATFORM
    }

    /**
     * TLS settings: either a PKCS#12 keystore, or PEM files (certificate chain and PKCS#8 private key).
     *
     * @param enabled          serve TLS
     * @param keystore         a PKCS#12 file, or null when PEM files are used
     * @param keystorePassword the keystore's password (may be empty)
     * @param certificate      a PEM certificate chain, or null when a keystore is used
     * @param privateKey       a PEM PKCS#8 private key, or null when a keystore is used
     */
    public record TlsConfig(boolean enabled, Path keystore, String keystorePassword, Path certificate,
                            Path privateKey) {
        public static TlsConfig disabled() {
            return new TlsConfig(false, null, null, null, null);
        }

        public static TlsConfig pkcs12(Path keystore, String password) {
            return new TlsConfig(true, keystore, password, null, null);
        }

        public static TlsConfig pem(Path certificate, Path privateKey) {
            return new TlsConfig(true, null, null, certificate, privateKey);
        }
    }

    /** The defaults; see the module README for the reason behind each. */
    public static ServerConfig defaults() {
        return new ServerConfig(
                "0.0.0.0",
                8080,
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                8 * 1024,
                16 * 1024,
                10L * 1024 * 1024,
                10_000,
                1024,
                256 * 1024,
                ExecutorKind.VIRTUAL,
                200,
                Duration.ofSeconds(30),
                false,
                "weft",
                TlsConfig.disabled());
    }

    /**
     * Every problem with this configuration, each as {@code field: what is wrong}; empty when it is valid. Checks
     * only what can be known without binding: ranges, and that TLS files exist.
     */
    public List<String> validate() {
        Problems problems = new Problems();
        if (host == null || host.isBlank()) {
            problems.add("server.host: must not be empty");
        }
        problems.between("server.port", port, 0, 65535);
        problems.positive("server.readHeaderTimeout", readHeaderTimeout);
        problems.positive("server.readTimeout", readTimeout);
        problems.positive("server.writeTimeout", writeTimeout);
        problems.positive("server.idleTimeout", idleTimeout);
        problems.positive("server.shutdownTimeout", shutdownTimeout);
        if (readHeaderTimeout != null && readTimeout != null && readTimeout.compareTo(readHeaderTimeout) < 0) {
            problems.add("server.readTimeout: must not be shorter than server.readHeaderTimeout");
        }
        problems.atLeast("server.maxRequestLineBytes", maxRequestLineBytes, 64);
        problems.atLeast("server.maxHeaderBytes", maxHeaderBytes, 256);
        problems.notNegative("server.maxBodyBytes", maxBodyBytes);
        problems.atLeast("server.maxConnections", maxConnections, 1);
        problems.atLeast("server.backlog", backlog, 1);
        problems.notNegative("server.maxDrainBytes", maxDrainBytes);
        if (executor == null) {
            problems.add("server.executor: must be VIRTUAL or PLATFORM");
        }
        if (executor == ExecutorKind.PLATFORM && platformThreads < 1) {
            problems.add("server.platformThreads: must be at least 1 with the PLATFORM executor, was "
                    + platformThreads);
        }
        if (serverHeader == null) {
            problems.add("server.serverHeader: must not be null (empty sends none)");
        }
        if (tls == null) {
            problems.add("server.tls: must not be null (use TlsConfig.disabled())");
        } else if (tls.enabled()) {
            boolean keystore = tls.keystore() != null;
            boolean pem = tls.certificate() != null || tls.privateKey() != null;
            if (!keystore && !pem) {
                problems.add("server.tls: enabled without a keystore or certificate and private key");
            } else if (keystore && pem) {
                problems.add("server.tls: set either a keystore or PEM files, not both");
            } else if (keystore) {
                problems.readable("server.tls.keystore", tls.keystore());
            } else {
                if (tls.certificate() == null) {
                    problems.add("server.tls.certificate: required with server.tls.privateKey");
                } else {
                    problems.readable("server.tls.certificate", tls.certificate());
                }
                if (tls.privateKey() == null) {
                    problems.add("server.tls.privateKey: required with server.tls.certificate");
                } else {
                    problems.readable("server.tls.privateKey", tls.privateKey());
                }
            }
        }
        return problems.list();
    }

    /** Returns this configuration, or throws {@link ConfigException} listing every problem. */
    public ServerConfig validated() {
        Problems.throwIfAny(validate());
        return this;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A mutable copy of a configuration, for building a changed one. */
    public static final class Builder {
        private String host;
        private int port;
        private Duration readHeaderTimeout;
        private Duration readTimeout;
        private Duration writeTimeout;
        private Duration idleTimeout;
        private int maxRequestLineBytes;
        private int maxHeaderBytes;
        private long maxBodyBytes;
        private int maxConnections;
        private int backlog;
        private long maxDrainBytes;
        private ExecutorKind executor;
        private int platformThreads;
        private Duration shutdownTimeout;
        private boolean accessLog;
        private String serverHeader;
        private TlsConfig tls;

        private Builder(ServerConfig c) {
            host = c.host;
            port = c.port;
            readHeaderTimeout = c.readHeaderTimeout;
            readTimeout = c.readTimeout;
            writeTimeout = c.writeTimeout;
            idleTimeout = c.idleTimeout;
            maxRequestLineBytes = c.maxRequestLineBytes;
            maxHeaderBytes = c.maxHeaderBytes;
            maxBodyBytes = c.maxBodyBytes;
            maxConnections = c.maxConnections;
            backlog = c.backlog;
            maxDrainBytes = c.maxDrainBytes;
            executor = c.executor;
            platformThreads = c.platformThreads;
            shutdownTimeout = c.shutdownTimeout;
            accessLog = c.accessLog;
            serverHeader = c.serverHeader;
            tls = c.tls;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder readHeaderTimeout(Duration v) { readHeaderTimeout = v; return this; }
        public Builder readTimeout(Duration v) { readTimeout = v; return this; }
        public Builder writeTimeout(Duration v) { writeTimeout = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder maxRequestLineBytes(int v) { maxRequestLineBytes = v; return this; }
        public Builder maxHeaderBytes(int v) { maxHeaderBytes = v; return this; }
        public Builder maxBodyBytes(long v) { maxBodyBytes = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder backlog(int v) { backlog = v; return this; }
        public Builder maxDrainBytes(long v) { maxDrainBytes = v; return this; }
        public Builder executor(ExecutorKind v) { executor = v; return this; }
        public Builder platformThreads(int v) { platformThreads = v; return this; }
        public Builder shutdownTimeout(Duration v) { shutdownTimeout = v; return this; }
        public Builder accessLog(boolean v) { accessLog = v; return this; }
        public Builder serverHeader(String v) { serverHeader = v; return this; }
        public Builder tls(TlsConfig v) { tls = v; return this; }

        /** The configuration, unvalidated: {@link ServerConfig#validated()} or the server checks it. */
        public ServerConfig build() {
            return new ServerConfig(host, port, readHeaderTimeout, readTimeout, writeTimeout, idleTimeout,
                    maxRequestLineBytes, maxHeaderBytes, maxBodyBytes, maxConnections, backlog, maxDrainBytes,
                    executor, platformThreads, shutdownTimeout, accessLog, serverHeader, tls);
        }
    }
}
