package dev.weft.loadtests;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.http.HttpDsl.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * The parameters every simulation shares, read once from system properties, with smoke defaults that finish in
 * well under a minute:
 *
 * <ul>
 *   <li>{@code rate}: arrivals per second in the measured phase (open model), default 50;</li>
 *   <li>{@code duration}: seconds of the measured phase, default 15;</li>
 *   <li>{@code warmup}: seconds of warm-up before it, at the same rate, default 5 (0 for none);</li>
 *   <li>{@code p99Ms}: the p99 each measured request must stay under, default 1000;</li>
 *   <li>{@code maxFailedPercent}: the failed-request share each measured request must stay under or at, default 1;</li>
 *   <li>{@code baseUrl}: the service; unset, the simulation starts {@code -Dshop.jar} itself ({@link Target}).</li>
 * </ul>
 *
 * <p>The warm-up runs the same chain under request names prefixed {@code warm-up: }, then the measured phase
 * starts; the assertions read only the measured names, so JIT warm-up and cold caches do not count in the verdict.
 */
record Load(double rate, Duration duration, Duration warmup, int p99Ms, double maxFailedPercent) {
    static final String WARM_UP = "warm-up: ";

    static Load fromSystemProperties() {
        return new Load(
                Double.parseDouble(System.getProperty("rate", "50")),
                Duration.ofSeconds(Long.parseLong(System.getProperty("duration", "15"))),
                Duration.ofSeconds(Long.parseLong(System.getProperty("warmup", "5"))),
                Integer.parseInt(System.getProperty("p99Ms", "1000")),
                Double.parseDouble(System.getProperty("maxFailedPercent", "1")));
    }

    /**
     * The HTTP protocol: the target's base URL, connections shared by all virtual users as a load balancer's
     * keep-alive pool would, so that an open model at a high rate does not open a socket per arrival.
     */
    static HttpProtocolBuilder protocol() {
        return http.baseUrl(Target.baseUrl())
                .shareConnections()
                .acceptHeader("application/json, text/plain;q=0.9")
                .userAgentHeader("weft-load-tests");
    }

    /**
     * The warm-up, then the measured phase, of a scenario built from {@code chain}, which takes the prefix for its
     * request names.
     */
    PopulationBuilder inject(String name, Function<String, ChainBuilder> chain) {
        ScenarioBuilder measured = scenario(name).exec(chain.apply(""));
        PopulationBuilder run = measured.injectOpen(constantUsersPerSec(rate).during(duration));
        if (warmup.isZero()) {
            return run;
        }
        return scenario(WARM_UP + name).exec(chain.apply(WARM_UP))
                .injectOpen(constantUsersPerSec(rate).during(warmup))
                .andThen(run);
    }

    /** p99 and failed-share assertions on each measured request name. */
    List<Assertion> assertions(String... requestNames) {
        List<Assertion> assertions = new ArrayList<>();
        for (String name : requestNames) {
            assertions.add(details(name).responseTime().percentile(99.0).lt(p99Ms));
            assertions.add(details(name).failedRequests().percent().lte(maxFailedPercent));
        }
        return assertions;
    }
}
