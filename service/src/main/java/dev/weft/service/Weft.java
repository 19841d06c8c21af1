package dev.weft.service;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.slf4j.LoggerFactory;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.weft.config.ConfigException;
import dev.weft.config.ConfigSection;
import dev.weft.config.ConfigTree;
import dev.weft.events.service.EventsConfig;
import dev.weft.http.Server;
import dev.weft.http.ServerConfig;
import dev.weft.http.ShutdownReport;

/**
 * The service skeleton: a {@code main} of a few lines runs a service that reads its configuration, serves
 * {@code /health/live}, {@code /health/ready} and {@code /metrics}, gives each request an id
 * ({@code X-Request-Id}, in every log line of the request), writes the access log when asked, shuts down
 * gracefully on SIGTERM or SIGINT with a one-line report, and turns on each module whose section the configuration
 * has. It logs through Logback (weft-logging): readable lines, or JSON ones with {@code WEFT_LOG_FORMAT=json}.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     Weft.run("notes", args, "notes-defaults.yaml", config -> new Notes());
 * }
 * }</pre>
 *
 * <p>The sections, each opened after the server binds, in this order:
 * <ul>
 *   <li>{@code server:} the HTTP server ({@code ServerConfig}); always read.</li>
 *   <li>{@code db:} opens the pool ({@code DbPool}) and runs the service's Flyway migrations; readiness checks the
 *       database.</li>
 *   <li>{@code cache:} opens the caches on Redis or in process ({@code Caches}); readiness checks Redis.</li>
 *   <li>{@code events:} creates the event tables, opens the transport (RabbitMQ or in process) and starts the outbox
 *       relay ({@code Events}); needs {@code db:}; readiness checks RabbitMQ.</li>
 *   <li>any section a {@link ModuleProvider} on the class path names, such as {@code gateway:}.</li>
 * </ul>
 * Then the service's {@link Service#start} takes the opened modules from {@link Modules} and adds its routes.
 *
 * <p>Start-up time counts (orchestrators scale out by starting processes) and most of it is class loading in
 * libraries: SLF4J's provider lookup and the Prometheus registry run on another thread while this one reads the
 * configuration, and what answering the first request does not need (the JVM meters, the modules) opens after the
 * server is up, on a platform thread so that the carriers stay free for the connections.
 */
public final class Weft {
    /**
     * Each module's readiness check's own timeout, a {@link ModuleProvider}'s too: well under a probe's usual period
     * of 10 s.
     */
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    private Weft() {}

    /** Runs a service without built-in defaults: every module it uses needs its section in the file. */
    public static void run(String name, String[] args, ServiceFactory factory) {
        run(name, args, (ConfigTree) null, factory);
    }

    /**
     * Runs the service {@code name} as a process: the configuration is {@code --config FILE} (else
     * {@code $WEFT_CONFIG}) over the class-path resource {@code defaultsResource} (the service's built-in defaults,
     * or null for none), with the environment and system properties over both. Exits with status 2 on a
     * configuration problem, listing every one, and with status 1 when a module or the service cannot start;
     * {@code --help} prints the usage.
     */
    public static void run(String name, String[] args, String defaultsResource, ServiceFactory factory) {
        run(name, args, defaultsResource == null ? null : defaults(defaultsResource), factory);
    }

    /**
     * {@link #run(String, String[], String, ServiceFactory)} with the built-in defaults given in code
     * ({@link ConfigTree#of(String, java.util.Map)}): what the shop does, because parsing a YAML document at every
     * start is most of a hundred milliseconds before the server can bind.
     */
    public static void run(String name, String[] args, ConfigTree defaults, ServiceFactory factory) {
        // A platform thread: a virtual one would hold one of the carriers that serve the connections until it
        // blocks, and this work does not block.
        Executor beside = task -> Thread.ofPlatform().daemon().name(name + "-startup").start(task);
        // SLF4J first, alone on its thread, then the registry (Micrometer logs through SLF4J). This thread asks for
        // no logger until SLF4J is ready (hence no static logger in this class), and runs no code that might before
        // then either: a logger asked for on another thread while SLF4J initialises is a substitute, and one asked
        // for in the instant SLF4J finishes stays a no-op for good (a module's static logger lost its every line in
        // a container started on a busy machine, ImageTest). Until then this thread parses the command line,
        // assembles the configuration and reads Weft's own sections, which log nothing (Startup.read). Nothing
        // waits for the registry: the server serves before it exists and records what it served when it comes.
        CompletableFuture<Void> logging = new CompletableFuture<>();
        CompletableFuture<PrometheusMeterRegistry> registry = CompletableFuture.supplyAsync(() -> {
            try {
                LoggerFactory.getILoggerFactory();
            } finally {
                logging.complete(null);
            }
            return MetricsEndpoint.newRegistry();
        }, beside);
        CommandLine command = CommandLine.parse(name, args, System.getenv());
        if (command.help()) {
            System.out.print(CommandLine.help(name));
            return;
        }
        ConfigTree config = configuration(command, defaults).withProcessOverrides();
        Startup startup;
        try {
            startup = Startup.read(name, config, factory, command.problems(), logging);
        } catch (ConfigException e) {
            System.err.println(name + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        ServerSocket listener;
        try {
            listener = Server.listen(startup.server());
        } catch (IOException e) {
            System.err.println(name + ": cannot listen: " + e);
            System.exit(1);
            return;
        }
        RunningService running = startup.start(new MetricsEndpoint(registry), listener);
        Duration grace = startup.server().shutdownTimeout();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ShutdownReport report = running.shutdown(grace);
            LoggerFactory.getLogger(Weft.class).info("{} stopped: {}", name, report);
        }, name + "-shutdown"));
        running.started().exceptionally(e -> {
            if (running.isShuttingDown()) {
                return null; // stopped while starting: the shutdown hook interrupted the start-up
            }
            LoggerFactory.getLogger(Weft.class).error("{} cannot start: {}", name, e.toString(), e);
            // Not on the starting thread: a shutdown hook that waits for that thread would wait for ever.
            Thread.ofPlatform().name(name + "-exit").start(() -> System.exit(1));
            return null;
        });
    }

    /**
     * Starts the service {@code name} on {@code config} in this process and returns at once, the server bound and
     * the modules opening: for tests and for embedding. {@link RunningService#started()} completes when the service
     * has started.
     *
     * @throws ConfigException listing every problem of the configuration; nothing was started
     * @throws IOException     when the server cannot bind
     */
    public static RunningService start(String name, ConfigTree config, ServiceFactory factory) throws IOException {
        Startup startup = Startup.read(name, config, factory, List.of(), CompletableFuture.completedFuture(null));
        return startup.start(MetricsEndpoint.now(), Server.listen(startup.server()));
    }

    /** The file (or none) over the service's defaults (or none). */
    static ConfigTree configuration(CommandLine command, ConfigTree defaults) {
        ConfigTree file = command.configFile() == null ? ConfigTree.empty() : ConfigTree.read(command.configFile());
        return defaults == null ? file : file.over(defaults);
    }

    /**
     * A service's built-in defaults, the YAML document {@code resource} on the class path: what {@link #run} puts
     * under the file, for tests that start the service as it runs.
     *
     * @throws IllegalStateException when there is no such resource: a packaging mistake, not a user's
     */
    public static ConfigTree defaults(String resource) {
        try (InputStream in = Weft.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the built-in defaults " + resource + " are not on the class path");
            }
            return ConfigTree.parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("the built-in defaults " + resource + " cannot be read", e);
        }
    }

    /** Everything read from the configuration, validated; nothing started. */
    record Startup(String name, ServerConfig server, List<StartableModule> modules, List<String> sections,
                   Service service) {

        /**
         * Reads {@code server:} and Weft's own modules' sections, which ask for no logger ({@link DbModule},
         * {@link CacheModule} and {@link EventsModule} ask for theirs in {@code open}, not in a static field, and
         * {@code StartupLoggingTest} holds them to it), then waits for {@code logging} before it runs code that may:
         * the module providers' and the service's own.
         */
        static Startup read(String name, ConfigTree config, ServiceFactory factory, List<String> commandProblems,
                            CompletableFuture<?> logging) {
            ServerConfig server = ServerConfig.from(config.section("server"));
            List<StartableModule> modules = new ArrayList<>();
            List<String> sections = new ArrayList<>();
            ConfigSection db = config.section("db");
            if (db.isPresent()) {
                modules.add(DbModule.read(db));
                sections.add("db");
            }
            ConfigSection cache = config.section("cache");
            if (cache.isPresent()) {
                modules.add(CacheModule.read(cache));
                sections.add("cache");
            }
            ConfigSection events = config.section("events");
            if (events.isPresent()) {
                EventsConfig eventsConfig = EventsConfig.from(events);
                if (eventsConfig.mode() != EventsConfig.Mode.OFF) {
                    if (!db.isPresent()) {
                        events.problems().add("events", "needs a db section: the outbox keeps events in the"
                                + " database until the relay has published them");
                    }
                    modules.add(new EventsModule(eventsConfig));
                    sections.add("events");
                }
            }
            logging.join();
            for (ModuleProvider provider : ServiceLoader.load(ModuleProvider.class)) {
                ConfigSection section = config.section(provider.section());
                if (section.isPresent()) {
                    modules.add(provider.read(section));
                    sections.add(provider.section());
                }
            }
            Service service = factory.create(config);
            for (String problem : commandProblems) {
                config.problems().add("command line", problem);
            }
            config.throwIfProblems();
            return new Startup(name, server, List.copyOf(modules), List.copyOf(sections), service);
        }

        RunningService start(MetricsEndpoint metrics, ServerSocket listener) {
            return new RunningService(this, metrics).start(listener);
        }
    }
}
