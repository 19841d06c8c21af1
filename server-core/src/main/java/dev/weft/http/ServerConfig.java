package dev.weft.http;

import java.nio.file.Path;
import java.time.Duration;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;

/**
 * The server's immutable configuration: the {@code server} section of a service's configuration. Read it with
 * {@link #from(ConfigSection)}, or in code with {@code ConfigTree.of(Map.of("port", 0)).read(ServerConfig::from)};
 * {@link #validate} lists every problem at once and the server refuses to start on any.
 *
 * <p>The defaults are meant to be safe on the open internet; the service README gives the reason for each.
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
 * @param maxConcurrentStreams HTTP/2 streams one connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS);
 *                          a client's stream beyond it is refused with REFUSED_STREAM
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
        int maxConcurrentStreams,
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

        /** Reads {@code server.tls}; {@code enabled} defaults to true once a file is named. */
        public static TlsConfig from(ConfigSection s) {
            Path keystore = s.path("keystore", null);
            Path certificate = s.path("certificate", null);
            Path privateKey = s.path("privateKey", null);
            boolean named = keystore != null || certificate != null || privateKey != null;
            return new TlsConfig(s.bool("enabled", named), keystore, s.string("keystorePassword", null),
                    certificate, privateKey);
        }

        /** Adds every problem under {@code path} ({@code server.tls}): one source of keys, and its files readable. */
        public void validate(String path, Problems problems) {
            if (!enabled) {
                return;
            }
            boolean pkcs12 = keystore != null;
            boolean pem = certificate != null || privateKey != null;
            if (!pkcs12 && !pem) {
                problems.add(path + ".enabled", "must be false without a keystore, or a certificate and a private key");
            } else if (pkcs12 && pem) {
                problems.add(path + ".keystore",
                        "must not be set together with certificate or privateKey: use a keystore or PEM files");
            } else if (pkcs12) {
                problems.readable(path + ".keystore", keystore);
            } else {
                problems.required(path + ".certificate", certificate);
                problems.required(path + ".privateKey", privateKey);
                problems.readable(path + ".certificate", certificate);
                problems.readable(path + ".privateKey", privateKey);
            }
        }
    }

    /** The defaults; the service README gives the reason for each. */
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
                100,
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
     * Reads the {@code server} section: every key is named as the record's component, and an absent one keeps its
     * default. {@code tls.enabled} defaults to true when the {@code tls} section names a keystore, a certificate or a
     * private key. Problems go to the section's tree, validation included.
     */
    public static ServerConfig from(ConfigSection s) {
        // Spelt out rather than read by reflection (ConfigSection.read): this runs before every server binds.
        ServerConfig d = defaults();
        ServerConfig c = new ServerConfig(
                s.string("host", d.host),
                s.integer("port", d.port),
                s.duration("readHeaderTimeout", d.readHeaderTimeout),
                s.duration("readTimeout", d.readTimeout),
                s.duration("writeTimeout", d.writeTimeout),
                s.duration("idleTimeout", d.idleTimeout),
                s.intSize("maxRequestLineBytes", d.maxRequestLineBytes),
                s.intSize("maxHeaderBytes", d.maxHeaderBytes),
                s.size("maxBodyBytes", d.maxBodyBytes),
                s.integer("maxConnections", d.maxConnections),
                s.integer("maxConcurrentStreams", d.maxConcurrentStreams),
                s.integer("backlog", d.backlog),
                s.size("maxDrainBytes", d.maxDrainBytes),
                s.enumValue("executor", ExecutorKind.class, d.executor),
                s.integer("platformThreads", d.platformThreads),
                s.duration("shutdownTimeout", d.shutdownTimeout),
                s.bool("accessLog", d.accessLog),
                s.string("serverHeader", d.serverHeader),
                TlsConfig.from(s.section("tls")));
        c.validate(s.path(), s.problems());
        return c;
    }

    /**
     * Adds every problem with this configuration to {@code problems}, each under {@code path} ({@code server});
     * checks only what can be known without binding: ranges, and that TLS files exist.
     */
    public void validate(String path, Problems problems) {
        String p = path.isEmpty() ? "" : path + ".";
        problems.required(p + "host", host);
        problems.between(p + "port", port, 0, 65535);
        problems.positive(p + "readHeaderTimeout", readHeaderTimeout);
        problems.positive(p + "readTimeout", readTimeout);
        problems.positive(p + "writeTimeout", writeTimeout);
        problems.positive(p + "idleTimeout", idleTimeout);
        problems.positive(p + "shutdownTimeout", shutdownTimeout);
        problems.notLongerThan(p + "readHeaderTimeout", readHeaderTimeout, p + "readTimeout", readTimeout);
        problems.atLeast(p + "maxRequestLineBytes", maxRequestLineBytes, 64);
        problems.atLeast(p + "maxHeaderBytes", maxHeaderBytes, 256);
        problems.notNegative(p + "maxBodyBytes", maxBodyBytes);
        problems.atLeast(p + "maxConnections", maxConnections, 1);
        problems.atLeast(p + "maxConcurrentStreams", maxConcurrentStreams, 1);
        problems.atLeast(p + "backlog", backlog, 1);
        problems.notNegative(p + "maxDrainBytes", maxDrainBytes);
        problems.required(p + "executor", executor);
        if (executor == ExecutorKind.PLATFORM) {
            problems.atLeast(p + "platformThreads", platformThreads, 1);
        }
        if (serverHeader == null) {
            problems.add(p + "serverHeader", "must be set (empty sends none)");
        }
        if (tls == null) {
            problems.add(p + "tls", "must be set (TlsConfig.disabled() for plain HTTP)");
        } else {
            tls.validate(p + "tls", problems);
        }
    }
}
