package dev.weft.http.h2;

/**
 * The seed of a randomized test: fresh each run and printed, or taken from {@code -Dweft.seed=N} to replay a
 * failure.
 */
final class TestSeed {
    private TestSeed() {
    }

    static long of(String test) {
        String replay = System.getProperty("weft.seed");
        long seed = replay != null ? Long.parseLong(replay) : System.nanoTime();
        System.out.println(test + ": seed " + seed + " (replay with -Dweft.seed=" + seed + ")");
        return seed;
    }
}
