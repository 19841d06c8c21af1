package dev.weft.dbpool;

/**
 * The pool size chosen for a configuration and the reasoning behind it, in one line that the pool logs when it
 * starts, e.g. {@code "pool 9: 400 req/s x 25 ms = 10, +20% = 12, capped by 2x4+1 = 9"}.
 *
 * @param size      the maximum (and, for a fixed-size pool, minimum) number of connections
 * @param reasoning how the size was reached
 */
public record SizingDecision(int size, String reasoning) {

    /** A size given outright in the configuration. */
    public static SizingDecision explicit(int size) {
        return new SizingDecision(size, "pool " + size + ": set explicitly by maximumPoolSize");
    }
}
