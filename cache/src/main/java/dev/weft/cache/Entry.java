package dev.weft.cache;

/**
 * What both levels hold for one key: the value, or the null marker of a lookup that found nothing, with the
 * instant it stops being fresh and the time its last computation took (XFetch's delta).
 *
 * @param value         the value; {@code null} is the null marker (the loader found nothing)
 * @param freshUntil    epoch milliseconds at which the entry expires logically; Redis keeps it a little longer
 *                      (the configured stale grace) so that one node can reload it while others serve it
 * @param computeMillis how long the loader took to produce it, for the early-refresh decision
 */
public record Entry<V>(V value, long freshUntil, int computeMillis) {
    public boolean isNull() {
        return value == null;
    }

    public boolean isFresh(long nowMillis) {
        return nowMillis < freshUntil;
    }
}
