package dev.weft.testkit;

/**
 * The seed of a randomized test: fresh each run, or the one given by {@code -Dweft.test.seed=N} to replay a failure;
 * printed either way, with the command line that replays it. A failing randomized test names its seed in its
 * message, so that the run's output is enough:
 * {@code ./weft mvn -q -pl server-core -am verify -Dsurefire.failIfNoSpecifiedTests=false -Dtest=ParserFuzzTest
 * -Dweft.test.seed=N}.
 *
 * <pre>{@code
 * long seed = Seeds.seed("ParserFuzzTest.requestParserNeverMisbehaves");
 * Random random = new Random(seed);
 * ... assertTrue(ok, "... seed " + seed);
 * }</pre>
 */
public final class Seeds {
    /** The system property that replays a seed. */
    public static final String PROPERTY = "weft.test.seed";

    private Seeds() {}

    /** The seed for {@code test} (its class and method, for the printed line). */
    public static long seed(String test) {
        long seed = parse(System.getProperty(PROPERTY), System.nanoTime() ^ System.identityHashCode(test));
        System.out.println(test + ": seed " + seed + " (replay with -D" + PROPERTY + "=" + seed + ")");
        return seed;
    }

    /** {@code given} as a seed, or {@code fresh} when it is unset or blank. */
    static long parse(String given, long fresh) {
        if (given == null || given.isBlank()) {
            return fresh;
        }
        try {
            return Long.parseLong(given.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be a whole number (a seed a test printed), "
                    + "was \"" + given + "\"", e);
        }
    }
}
