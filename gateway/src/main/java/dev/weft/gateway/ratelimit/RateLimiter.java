package dev.weft.gateway.ratelimit;

/** Token buckets keyed by caller: each call takes one token from {@code key}'s bucket if there is one. */
public interface RateLimiter {
    Decision acquire(String key);
}
