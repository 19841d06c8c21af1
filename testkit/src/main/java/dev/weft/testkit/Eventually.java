package dev.weft.testkit;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Waits for a condition on real state, with a deadline: the one way a test waits for something asynchronous that
 * offers no event or latch to wait on. A test never sleeps a fixed time and hopes; it polls until what it needs is
 * true, and fails with the description (and the last value seen) when the deadline passes.
 *
 * <pre>{@code
 * Eventually.await(Duration.ofSeconds(5), "the subscription is up", () -> bus.subscribers() == 1);
 * Response r = Eventually.until(Duration.ofSeconds(10), "the instance is ready", () -> get("/ready"),
 *         response -> response.statusCode() == 200);
 * }</pre>
 *
 * <p>The condition is first checked at once, then after 1 ms, doubling to at most 50 ms between checks: a fast
 * condition costs about a millisecond, a slow one about 50 polls a second. An exception from the condition fails
 * the wait at once (wrapped with the description); a condition that may throw while the system starts catches
 * that itself and returns false.
 */
public final class Eventually {
    private static final long FIRST_PAUSE_NANOS = 1_000_000;
    private static final long MAX_PAUSE_NANOS = 50_000_000;

    private Eventually() {}

    /** A condition that may throw, so that a test can poll a database or a socket without wrapping. */
    @FunctionalInterface
    public interface Condition {
        boolean met() throws Exception;
    }

    /** A value to poll, that may throw. */
    @FunctionalInterface
    public interface Probe<T> {
        T get() throws Exception;
    }

    /** Returns once {@code condition} is true; throws {@link AssertionError} naming {@code what} after {@code timeout}. */
    public static void await(Duration timeout, String what, Condition condition) {
        until(timeout, what, condition::met, Boolean::booleanValue, met -> "still not met");
    }

    /**
     * Polls {@code probe} until {@code done} accepts its value, and returns that value; throws {@link AssertionError}
     * naming {@code what} and the last value after {@code timeout}.
     */
    public static <T> T until(Duration timeout, String what, Probe<T> probe, Predicate<? super T> done) {
        return until(timeout, what, probe, done, String::valueOf);
    }

    /** As {@link #until(Duration, String, Probe, Predicate)}, with {@code describe} to show the last value. */
    public static <T> T until(Duration timeout, String what, Probe<T> probe, Predicate<? super T> done,
                              Function<? super T, String> describe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        T last;
        while (true) {
            try {
                last = probe.get();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new AssertionError(what + ": the condition threw " + e, e);
            }
            if (done.test(last)) {
                return last;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(what + ": not within " + timeout.toMillis() + " ms; last: "
                        + describe.apply(last));
            }
            try {
                // The pause between polls of state that offers nothing to wait on; never a wait for the state itself.
                Thread.sleep(Duration.ofNanos(Math.min(pause, left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(what + ": interrupted while waiting", e);
            }
            pause = Math.min(MAX_PAUSE_NANOS, pause * 2);
        }
    }
}
