package dev.weft.gateway.ratelimit;

/**
 * The outcome of taking one token.
 *
 * @param allowed          a token was taken
 * @param limit            the bucket's size
 * @param remaining        whole tokens left
 * @param retryAfterMillis when not allowed, how long until a token is there; else 0
 * @param resetMillis      how long until the bucket is full again
 */
public record Decision(boolean allowed, int limit, long remaining, long retryAfterMillis, long resetMillis) {
    /** The decision of a bucket holding {@code tokens} after the take (or the failed attempt). */
    static Decision of(boolean allowed, double tokens, double ratePerSecond, int burst) {
        long retryAfter = allowed ? 0 : (long) Math.ceil((1 - tokens) / ratePerSecond * 1000);
        long reset = (long) Math.ceil((burst - tokens) / ratePerSecond * 1000);
        return new Decision(allowed, burst, (long) Math.floor(tokens), retryAfter, reset);
    }
}
