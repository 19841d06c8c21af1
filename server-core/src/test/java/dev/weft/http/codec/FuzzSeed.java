package dev.weft.http.codec;

/**
 * The seed of a fuzz test: fresh each run and printed, or taken from {@code -Dweft.fuzz.seed=N} to replay a
 * failure ({@code ./weft mvn -q -o -pl server-core -am verify -Dtest=ParserFuzzTest -Dweft.fuzz.seed=N
 * -Dsurefire.failIfNoSpecifiedTests=false}).
 */
final class FuzzSeed {
    private FuzzSeed() {}

    static long of(String test) {
        String replay = System.getProperty("weft.fuzz.seed");
        long seed = replay != null && !replay.isBlank() ? Long.parseLong(replay.trim()) : System.nanoTime();
        System.out.println(test + ": seed " + seed + " (replay with -Dweft.fuzz.seed=" + seed + ")");
        return seed;
    }
}
