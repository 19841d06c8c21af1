package dev.weft.gateway.ratelimit;

import dev.weft.gateway.auth.Principal;
import dev.weft.gateway.config.RateLimitConfig.KeySource;
import dev.weft.gateway.metrics.GatewayMetrics.RouteMetrics;
import dev.weft.http.Handler;
import dev.weft.http.Middleware;
import dev.weft.http.Request;
import dev.weft.http.Responses;

/**
 * Takes one token per request from the caller's bucket. Every response carries {@code RateLimit-Limit},
 * {@code RateLimit-Remaining} and {@code RateLimit-Reset} (seconds until the bucket is full); a request without a
 * token gets 429 with {@code Retry-After} (seconds until the next token) and never reaches the upstream.
 *
 * <p>Place it after the authentication middleware when keying by API key or subject; requests without a principal
 * are keyed by client IP.
 */
public final class RateLimitMiddleware implements Middleware {
    private final RateLimiter limiter;
    private final KeySource keySource;
    private final RouteMetrics metrics;

    public RateLimitMiddleware(RateLimiter limiter, KeySource keySource, RouteMetrics metrics) {
        this.limiter = limiter;
        this.keySource = keySource;
        this.metrics = metrics;
    }

    @Override
    public Handler wrap(Handler next) {
        return (w, r) -> {
            Decision d = limiter.acquire(key(r));
            w.headers().set("RateLimit-Limit", Integer.toString(d.limit()));
            w.headers().set("RateLimit-Remaining", Long.toString(d.remaining()));
            w.headers().set("RateLimit-Reset", Long.toString(ceilSeconds(d.resetMillis())));
            if (d.allowed()) {
                next.serve(w, r);
                return;
            }
            metrics.rateLimited();
            w.headers().set("Retry-After", Long.toString(Math.max(1, ceilSeconds(d.retryAfterMillis()))));
            Responses.text(w, 429, "too many requests\n");
        };
    }

    /** The bucket key of {@code r}: {@code ip:...}, {@code key:...} or {@code sub:...}. */
    String key(Request r) {
        Principal p = Principal.of(r);
        if (p != null) {
            if (keySource == KeySource.SUBJECT) {
                return "sub:" + p.subject();
            }
            if (keySource == KeySource.API_KEY && "api-key".equals(p.scheme())) {
                return "key:" + p.credential();
            }
        }
        return "ip:" + r.remoteAddress().getAddress().getHostAddress();
    }

    private static long ceilSeconds(long millis) {
        return (millis + 999) / 1000;
    }
}
