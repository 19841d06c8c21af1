package dev.weft.loadtests;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.http.HttpDsl;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * The shape of one load run against a Weft service, for a Gatling simulation written in Java: an open model (arrivals
 * at {@code rate} per second, whatever the service's answers, so a stall shows as latency instead of as a quietly
 * lower request rate), a warm-up that the verdict leaves out, and the standard assertions.
 *
 * <pre>{@code
 * public final class ProductSimulation extends Simulation {
 *     static ChainBuilder read(String prefix) {
 *         return exec(http(prefix + "product").get("/products/1").check(status().is(200)));
 *     }
 *     {
 *         Load load = Load.fromSystemProperties();
 *         setUp(load.inject("products", ProductSimulation::read))
 *                 .protocols(Load.http(Load.baseUrl()))
 *                 .assertions(load.assertions("product"));
 *     }
 * }
 * }</pre>
 *
 * <p>Every value comes from a system property, so that {@code load-tests/bin/run-load} (or
 * {@code mvn gatling:test -Drate=...}) sets it without a rebuild; each has a smoke default that finishes in well under a
 * minute:
 * <ul>
 *   <li>{@code base.url}: the service, e.g. {@code http://127.0.0.1:8080}; required by {@link #baseUrl()};</li>
 *   <li>{@code rate}: arrivals per second in the measured phase, default 50;</li>
 *   <li>{@code duration}: seconds of the measured phase, default 15;</li>
 *   <li>{@code warmup}: seconds of warm-up before it, at the same rate, default 5 (0 for none);</li>
 *   <li>{@code p99Ms}: the p99 each measured request must stay under, default 1000;</li>
 *   <li>{@code maxFailedPercent}: the failed share each measured request must stay at or under, default 1.</li>
 * </ul>
 *
 * <p>The warm-up runs the same chain under request names prefixed {@value #WARM_UP}; the assertions name only the
 * measured requests, so JIT compilation and cold caches do not count in the verdict, and run-load's summary and pages
 * leave those names out of the measured figures too.
 *
 * @param rate             arrivals per second in the measured phase
 * @param duration         length of the measured phase
 * @param warmup           length of the warm-up before it (zero for none)
 * @param p99Millis        the p99 response time each measured request must stay under
 * @param maxFailedPercent the failed share each measured request must stay at or under, in percent
 */
public record Load(double rate, Duration duration, Duration warmup, double p99Millis, double maxFailedPercent) {
    /** The prefix of warm-up request and scenario names. */
    public static final String WARM_UP = "warm-up: ";
    /** The system property naming the service under load. */
    public static final String BASE_URL = "base.url";

    /** Checks every value at once. @throws IllegalArgumentException naming each bad one */
    public Load {
        List<String> problems = new ArrayList<>();
        if (!(rate > 0) || Double.isInfinite(rate)) {
            problems.add("rate: must be a positive number of arrivals per second, was " + rate);
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            problems.add("duration: must be positive, was " + duration);
        }
        if (warmup == null || warmup.isNegative()) {
            problems.add("warmup: must be zero or positive, was " + warmup);
        }
        if (!(p99Millis > 0)) {
            problems.add("p99Ms: must be a positive number of milliseconds, was " + p99Millis);
        }
        if (!(maxFailedPercent >= 0 && maxFailedPercent <= 100)) {
            problems.add("maxFailedPercent: must be from 0 to 100, was " + maxFailedPercent);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("bad load: " + String.join("; ", problems));
        }
    }

    /**
     * The load the system properties describe (see the class comment).
     *
     * @throws IllegalArgumentException naming every property that is not a number or out of range, with its value
     */
    public static Load fromSystemProperties() {
        List<String> problems = new ArrayList<>();
        double rate = number("rate", "50", problems);
        double duration = number("duration", "15", problems);
        double warmup = number("warmup", "5", problems);
        double p99 = number("p99Ms", "1000", problems);
        double failed = number("maxFailedPercent", "1", problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("bad system properties: " + String.join("; ", problems));
        }
        return new Load(rate, seconds(duration), seconds(warmup), p99, failed);
    }

    /**
     * The service's base URL from {@code -Dbase.url}, without a trailing slash.
     *
     * @throws IllegalStateException when it is not set or not an http(s) URL
     */
    public static String baseUrl() {
        String url = System.getProperty(BASE_URL, "").trim();
        if (url.isEmpty()) {
            throw new IllegalStateException("no service to load: set -D" + BASE_URL
                    + "=http://HOST:PORT (load-tests/bin/run-load sets it from --base-url or --jar)");
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalStateException("-D" + BASE_URL + " must be an http:// or https:// URL, was '" + url + "'");
        }
        return url.replaceAll("/+$", "");
    }

    /**
     * The HTTP protocol for a service: connections shared by all virtual users, as a load balancer's keep-alive pool
     * would, so that an open model at a high rate does not open a socket per arrival; JSON preferred.
     */
    public static HttpProtocolBuilder http(String baseUrl) {
        return HttpDsl.http.baseUrl(baseUrl)
                .shareConnections()
                .acceptHeader("application/json, text/plain;q=0.9")
                .userAgentHeader("weft-load-tests");
    }

    /** Whether a request or scenario name belongs to the warm-up. */
    public static boolean isWarmUp(String name) {
        return name.startsWith(WARM_UP);
    }

    /** The measured phase at a constant {@code rate} for {@code duration}. */
    public OpenInjectionStep constantRate() {
        return constantUsersPerSec(rate).during(duration);
    }

    /** The measured phase as a ramp from {@code from} arrivals per second up to {@code rate} over {@code duration}. */
    public OpenInjectionStep rampFrom(double from) {
        return rampUsersPerSec(from).to(rate).during(duration);
    }

    /**
     * The warm-up, then the measured phase at a constant rate, of a scenario built from {@code chain}, which takes the
     * prefix for its request names ({@value #WARM_UP} or nothing).
     */
    public PopulationBuilder inject(String name, Function<String, ChainBuilder> chain) {
        return inject(name, chain, constantRate());
    }

    /**
     * The warm-up at {@code rate}, then {@code measured}: any open-model steps (Gatling's {@code rampUsersPerSec},
     * {@code incrementUsersPerSec}, {@link #rampFrom}, ...).
     */
    public PopulationBuilder inject(String name, Function<String, ChainBuilder> chain, OpenInjectionStep... measured) {
        PopulationBuilder run = scenario(name).exec(chain.apply("")).injectOpen(measured);
        if (warmup.isZero()) {
            return run;
        }
        return scenario(WARM_UP + name).exec(chain.apply(WARM_UP))
                .injectOpen(constantUsersPerSec(rate).during(warmup))
                .andThen(run);
    }

    /** For each measured request name: p99 under {@code p99Ms} and failed share at most {@code maxFailedPercent}. */
    public List<Assertion> assertions(String... requestNames) {
        List<Assertion> assertions = new ArrayList<>();
        for (String name : requestNames) {
            assertions.add(details(name).responseTime().percentile(99.0).lt((int) Math.ceil(p99Millis)));
            assertions.add(details(name).failedRequests().percent().lte(maxFailedPercent));
        }
        return assertions;
    }

    private static double number(String property, String fallback, List<String> problems) {
        String value = System.getProperty(property, fallback).trim();
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            problems.add(String.format(Locale.ROOT, "-D%s: must be a number, was '%s'", property, value));
            return Double.NaN;
        }
    }

    private static Duration seconds(double s) {
        return Double.isNaN(s) ? Duration.ZERO : Duration.ofMillis(Math.round(s * 1000));
    }
}
