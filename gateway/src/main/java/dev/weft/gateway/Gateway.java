package dev.weft.gateway;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.cache.redis.Redis;
import dev.weft.config.Problems;
import dev.weft.health.HealthCheck;
import dev.weft.gateway.auth.ApiKeyAuthenticator;
import dev.weft.gateway.auth.AuthMiddleware;
import dev.weft.gateway.auth.Authenticator;
import dev.weft.gateway.auth.JwtAuthenticator;
import dev.weft.gateway.balance.Instance;
import dev.weft.gateway.balance.UpstreamGroup;
import dev.weft.gateway.config.AuthConfig;
import dev.weft.gateway.config.GatewayConfig;
import dev.weft.gateway.config.FailedAuthConfig;
import dev.weft.gateway.config.RateLimitConfig;
import dev.weft.gateway.config.RouteConfig;
import dev.weft.gateway.config.UpstreamConfig;
import dev.weft.gateway.discovery.DnsDiscovery;
import dev.weft.gateway.discovery.Resolver;
import dev.weft.gateway.health.ActiveHealthChecker;
import dev.weft.gateway.health.PassiveHealth;
import dev.weft.gateway.metrics.GatewayMetrics;
import dev.weft.gateway.metrics.GatewayMetrics.RouteMetrics;
import dev.weft.gateway.proxy.ForwardingHandler;
import dev.weft.gateway.ratelimit.FailedAuthLimit;
import dev.weft.gateway.ratelimit.LocalRateLimiter;
import dev.weft.gateway.ratelimit.RateLimitMiddleware;
import dev.weft.gateway.ratelimit.RateLimiter;
import dev.weft.gateway.ratelimit.RedisRateLimiter;
import dev.weft.http.Handler;
import dev.weft.http.Middleware;
import dev.weft.http.ServeMux;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The gateway assembled from its configuration: upstream groups kept current by discovery and health checks, and
 * one handler per route ({@code auth -> rate limit -> forward}, each step only where the route asks for it).
 *
 * <p>A service on the Weft skeleton gets it from its {@code gateway:} section through {@link GatewayModule}, as the
 * standalone {@link Main} does. Otherwise, three ways to use it: {@link #register} adds the routes to an
 * application's own {@link ServeMux}; {@link #middleware} puts them in front of any handler (requests no route
 * matches go to that handler); {@link #handler} is a mux with the routes alone. {@link #healthChecks} are its
 * readiness checks. {@link #close} stops the background work and closes the idle upstream connections.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** How often upstream deadlines are checked: timeouts fire up to this much late. */
    private static final Duration SWEEP_INTERVAL = Duration.ofMillis(10);

    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final Map<String, UpstreamGroup> groups = new LinkedHashMap<>();
    private final Map<String, PassiveHealth> passiveHealth = new LinkedHashMap<>();
    private final List<Authenticator> authenticators = new ArrayList<>();
    private final RateLimiter rateLimiter;
    private final FailedAuthLimit failedAuth;
    /** The Redis of the shared rate limit, or null when the buckets are in process. */
    private final Redis redis;
    /** DNS refreshes, health-check rounds and idle eviction: tasks that may block for as long as their I/O takes. */
    private final ScheduledExecutorService background;
    /**
     * The deadline sweep alone, on its own thread: every upstream timeout, the health checks' own included, is
     * enforced by it, so it must never wait behind a task that is itself waiting for a deadline. On the shared pool,
     * two health-check rounds blocked on hanging instances held both threads, the sweep never ran again, and no
     * timeout fired from then on.
     */
    private final ScheduledExecutorService sweeper;
    private final LongSupplier ejectionClock;

    /** Builds the gateway with the JDK's DNS resolver; see {@link #Gateway(GatewayConfig, MeterRegistry, Resolver)}. */
    public Gateway(GatewayConfig config, MeterRegistry registry) {
        this(config, registry, Resolver.SYSTEM);
    }

    /**
     * Validates {@code config}, resolves the static instances, runs the first DNS resolution of each DNS group,
     * and starts the periodic work: DNS refresh, active health checks, eviction of idle connections.
     *
     * @throws dev.weft.config.ConfigException listing every configuration problem
     */
    public Gateway(GatewayConfig config, MeterRegistry registry, Resolver resolver) {
        this(config, registry, resolver, System::nanoTime);
    }

    /**
     * With {@code ejectionClock} (nanoseconds) as the time by which instances are ejected and readmitted, the
     * in-process rate-limit buckets refill and failed-authentication blocks end, so that a test steps past an
     * ejection or a refill instead of waiting it out (or racing it on a busy machine); I/O deadlines, the Redis
     * bucket (Redis's own clock) and the Redis breaker stay on {@link System#nanoTime()}.
     */
    Gateway(GatewayConfig config, MeterRegistry registry, Resolver resolver, LongSupplier ejectionClock) {
        this.ejectionClock = ejectionClock;
        this.config = Problems.requireValid("gateway", config, GatewayConfig::validate);
        this.metrics = new GatewayMetrics(registry);
        this.background = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("gateway-", 0)
                .factory());
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("gateway-sweep").factory());
        for (Map.Entry<String, UpstreamConfig> e : config.upstreams().entrySet()) {
            String name = e.getKey();
            UpstreamConfig u = e.getValue();
            UpstreamGroup group = new UpstreamGroup(name, u, ejectionClock);
            groups.put(name, group);
            passiveHealth.put(name, new PassiveHealth(name, u.ejection(), metrics, ejectionClock));
            startDiscovery(group, resolver);
            if (u.healthCheck().enabled()) {
                ActiveHealthChecker checker = new ActiveHealthChecker(group, u.healthCheck(), metrics);
                every(u.healthCheck().interval(), true, checker::checkAll);
            }
            every(u.idleTimeout().dividedBy(2), false, () -> group.instances().forEach(i -> i.pool().evictIdle()));
        }
        every(sweeper, SWEEP_INTERVAL, false, () -> {
            long now = System.nanoTime();
            for (UpstreamGroup group : groups.values()) {
                group.instances().forEach(i -> i.pool().sweep(now));
            }
        });
        AuthConfig auth = config.auth();
        if (!auth.apiKeys().isEmpty()) {
            authenticators.add(new ApiKeyAuthenticator(auth.apiKeyHeader(), auth.apiKeys()));
        }
        if (auth.jwt() != null) {
            authenticators.add(new JwtAuthenticator(auth.jwt()));
        }
        RateLimitConfig rl = config.rateLimit();
        LocalRateLimiter local = new LocalRateLimiter(rl.ratePerSecond(), rl.burst(), ejectionClock);
        FailedAuthConfig fa = rl.failedAuth();
        LocalRateLimiter localFailures = new LocalRateLimiter(fa.ratePerSecond(), fa.burst(), ejectionClock);
        if (rl.redis() != null) {
            redis = new Redis(rl.redis(), "weft-gateway");
            rateLimiter = new RedisRateLimiter(redis, rl.ratePerSecond(), rl.burst(), local, metrics,
                    System::nanoTime);
            failedAuth = new FailedAuthLimit(new RedisRateLimiter(redis, fa.ratePerSecond(), fa.burst(),
                    localFailures, metrics, System::nanoTime));
        } else {
            redis = null;
            rateLimiter = local;
            failedAuth = new FailedAuthLimit(localFailures, ejectionClock);
        }
    }

    private void startDiscovery(UpstreamGroup group, Resolver resolver) {
        UpstreamConfig u = group.config();
        if (u.dns() == null) {
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (String hostPort : u.instances()) {
                int colon = hostPort.lastIndexOf(':');
                addresses.add(new InetSocketAddress(hostPort.substring(0, colon),
                        Integer.parseInt(hostPort.substring(colon + 1))));
            }
            group.update(addresses);
            return;
        }
        DnsDiscovery dns = new DnsDiscovery(u.dns(), resolver, group);
        dns.refresh();
        every(u.dns().refresh(), false, dns::refresh);
    }

    /** Runs {@code task} every {@code interval}; a failing run is logged and the next one still happens. */
    private void every(Duration interval, boolean now, ThrowingTask task) {
        every(background, interval, now, task);
    }

    private static void every(ScheduledExecutorService on, Duration interval, boolean now, ThrowingTask task) {
        long millis = Math.max(1, interval.toMillis());
        on.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (Exception e) {
                log.warn("gateway background task failed", e);
            }
        }, now ? 0 : millis, millis, TimeUnit.MILLISECONDS);
    }

    @FunctionalInterface
    private interface ThrowingTask {
        void run() throws Exception;
    }

    /** Registers every route on {@code mux}. */
    public void register(ServeMux mux) {
        for (RouteConfig route : config.routes()) {
            mux.handle(route.pattern(), routeHandler(route));
        }
    }

    /** A mux with the routes alone: a path no route matches gets 404. */
    public Handler handler() {
        ServeMux mux = new ServeMux();
        register(mux);
        return mux;
    }

    /** The routes in front of {@code next}: requests no route matches go to {@code next}. */
    public Middleware middleware() {
        return next -> {
            ServeMux mux = new ServeMux();
            register(mux);
            if (config.routes().stream().noneMatch(r -> r.pattern().equals("/"))) {
                mux.handle("/", next);
            }
            return mux;
        };
    }

    private Handler routeHandler(RouteConfig route) {
        UpstreamGroup group = groups.get(route.upstream());
        RouteMetrics routeMetrics = metrics.route(route.pattern(), group.name());
        Handler forward = new ForwardingHandler(route, group, passiveHealth.get(group.name()), metrics,
                routeMetrics, config.auth().subjectHeader());
        List<Middleware> steps = new ArrayList<>(2);
        if (route.authenticate()) {
            steps.add(new AuthMiddleware(authenticators, failedAuth, routeMetrics));
        }
        if (route.rateLimit()) {
            steps.add(new RateLimitMiddleware(rateLimiter, config.rateLimit().key(), routeMetrics));
        }
        return Middleware.chain(steps.toArray(Middleware[]::new)).wrap(forward);
    }

    /**
     * The gateway's readiness checks, by name, in the configuration's order:
     * <ul>
     *   <li>{@code upstream NAME} for each upstream group: down while none of its instances is live, that is while
     *       every one is ejected by passive health or failing its active check, or none has been discovered
     *       ({@code upstream shop: no live instance of 2}). Without a {@code healthCheck}, only ejections take an
     *       instance out, and an ejection runs out after its {@code duration}.</li>
     *   <li>{@code rate-limit redis} when the rate limit shares its buckets through Redis: down while Redis does
     *       not answer a {@code PING}.</li>
     * </ul>
     * A check does no network I/O except the {@code PING}, so a probe may run them as often as it likes.
     */
    public Map<String, HealthCheck> healthChecks() {
        Map<String, HealthCheck> checks = new LinkedHashMap<>();
        for (UpstreamGroup group : groups.values()) {
            checks.put("upstream " + group.name(), () -> requireLiveInstance(group, ejectionClock.getAsLong()));
        }
        if (redis != null) {
            String nodes = String.join(",", config.rateLimit().redis().nodes());
            checks.put("rate-limit redis", () -> {
                try {
                    redis.ping();
                } catch (RuntimeException e) {
                    throw new IllegalStateException("rate-limit redis " + nodes + ": " + e.getMessage(), e);
                }
            });
        }
        return checks;
    }

    private static void requireLiveInstance(UpstreamGroup group, long now) {
        List<Instance> instances = group.instances();
        for (Instance i : instances) {
            if (i.available(now)) {
                return;
            }
        }
        if (instances.isEmpty()) {
            UpstreamConfig u = group.config();
            throw new IllegalStateException("upstream " + group.name() + ": no instance"
                    + (u.dns() == null ? "" : ", " + u.dns().name() + " has resolved to no address yet"));
        }
        throw new IllegalStateException("upstream " + group.name() + ": no live instance of " + instances.size());
    }

    public GatewayConfig config() {
        return config;
    }

    /** The upstream group named {@code name}, or null. */
    public UpstreamGroup group(String name) {
        return groups.get(name);
    }

    /** Every instance of every group, for status pages and tests. */
    public List<Instance> instances() {
        List<Instance> all = new ArrayList<>();
        groups.values().forEach(g -> all.addAll(g.instances()));
        return all;
    }

    @Override
    public void close() {
        background.shutdownNow();
        sweeper.shutdownNow();
        groups.values().forEach(UpstreamGroup::close);
        if (redis != null) {
            redis.close();
        }
    }
}
