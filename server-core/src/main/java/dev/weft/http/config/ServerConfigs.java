package dev.weft.http.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

import dev.weft.http.ServerConfig;
import dev.weft.http.ServerConfig.TlsConfig;

/**
 * Builds a {@link ServerConfig} from the {@code server} section of a configuration file.
 *
 * <pre>{@code
 * ConfigFile file = ConfigFile.load(Path.of("weft.yaml"));
 * ServerConfig config = ServerConfigs.from(file.section("server"));   // throws ConfigException listing all problems
 * }</pre>
 *
 * Every key is named as in {@link ServerConfig}, and a key that is absent keeps its value from the base (by default
 * {@link ServerConfig#defaults()}). {@code tls.enabled} defaults to true when the {@code tls} section names a
 * keystore, certificate or private key. Relative file paths resolve against the working directory.
 */
public final class ServerConfigs {
    private ServerConfigs() {}

    /** The keys of the {@code server} section. */
    public static final List<String> KEYS = List.of("host", "port", "readHeaderTimeout", "readTimeout",
            "writeTimeout", "idleTimeout", "maxRequestLineBytes", "maxHeaderBytes", "maxBodyBytes", "maxConnections",
            "backlog", "maxDrainBytes", "executor", "platformThreads", "shutdownTimeout", "accessLog", "serverHeader",
            "tls");

    /** The keys of the {@code server.tls} section. */
    public static final List<String> TLS_KEYS = List.of("enabled", "keystore", "keystorePassword", "certificate",
            "privateKey");

    /**
     * The defaults with the section's settings over them, validated.
     *
     * @throws dev.weft.http.ConfigException listing every problem of the whole file so far: syntax, values,
     *                                       unknown keys and validation, each with its path and origin
     */
    public static ServerConfig from(ConfigSection server) {
        ServerConfig config = apply(server, ServerConfig.defaults().toBuilder()).build();
        server.file().addProblems(config.validate());
        server.file().throwIfProblems();
        return config;
    }

    /**
     * Sets on {@code base} every setting the section gives, recording unreadable values and unknown keys as
     * problems of the section's file; does not validate, so that the caller can adjust the result first and then
     * add {@link ServerConfig#validate()}'s problems with {@link ConfigFile#addProblems}.
     */
    public static ServerConfig.Builder apply(ConfigSection server, ServerConfig.Builder base) {
        ServerConfig d = base.build();
        ServerConfig.Builder b = base
                .host(server.string("host", d.host()))
                .port(server.integer("port", d.port()))
                .readHeaderTimeout(server.duration("readHeaderTimeout", d.readHeaderTimeout()))
                .readTimeout(server.duration("readTimeout", d.readTimeout()))
                .writeTimeout(server.duration("writeTimeout", d.writeTimeout()))
                .idleTimeout(server.duration("idleTimeout", d.idleTimeout()))
                .maxRequestLineBytes(server.intSize("maxRequestLineBytes", d.maxRequestLineBytes()))
                .maxHeaderBytes(server.intSize("maxHeaderBytes", d.maxHeaderBytes()))
                .maxBodyBytes(server.size("maxBodyBytes", d.maxBodyBytes()))
                .maxConnections(server.integer("maxConnections", d.maxConnections()))
                .backlog(server.integer("backlog", d.backlog()))
                .maxDrainBytes(server.size("maxDrainBytes", d.maxDrainBytes()))
                .executor(server.enumValue("executor", ServerConfig.ExecutorKind.class, d.executor()))
                .platformThreads(server.integer("platformThreads", d.platformThreads()))
                .shutdownTimeout(server.duration("shutdownTimeout", d.shutdownTimeout()))
                .accessLog(server.bool("accessLog", d.accessLog()))
                .serverHeader(server.string("serverHeader", d.serverHeader()))
                .tls(tls(server.section("tls"), d.tls()));
        server.rejectUnknownKeys(KEYS);
        return b;
    }

    private static TlsConfig tls(ConfigSection tls, TlsConfig base) {
        Path keystore = path(tls, "keystore", base.keystore());
        Path certificate = path(tls, "certificate", base.certificate());
        Path privateKey = path(tls, "privateKey", base.privateKey());
        boolean named = tls.has("keystore") || tls.has("certificate") || tls.has("privateKey");
        boolean enabled = tls.bool("enabled", named || base.enabled());
        String password = tls.string("keystorePassword", base.keystorePassword());
        tls.rejectUnknownKeys(TLS_KEYS);
        return new TlsConfig(enabled, keystore, password, certificate, privateKey);
    }

    private static Path path(ConfigSection section, String key, Path base) {
        String s = section.string(key, null);
        if (s == null || s.isBlank()) {
            return base;
        }
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            String field = section.path() + "." + key;
            section.file().addProblems(List.of(field + ": not a valid file path: " + e.getReason()));
            return base;
        }
    }
}
