package dev.weft.gateway.auth;

import java.util.List;

import dev.weft.gateway.metrics.GatewayMetrics.RouteMetrics;
import dev.weft.gateway.ratelimit.FailedAuthLimit;
import dev.weft.http.Handler;
import dev.weft.http.Middleware;
import dev.weft.http.ResponseWriter;
import dev.weft.http.Responses;

/**
 * Lets a request through only with a valid credential of one of the configured kinds, and records who it is
 * ({@link Principal#of}). Otherwise answers 401 with a {@code WWW-Authenticate} challenge per kind (RFC 6750's
 * {@code error="invalid_token"} when a bearer token was present but bad).
 *
 * <p>Failures count against the client IP ({@link FailedAuthLimit}): once its failure bucket is empty, the IP gets
 * 429 with {@code Retry-After}, without its credential being checked, until the next failure is allowed. A route's
 * own rate limit runs after this step and sees only authenticated requests, so without this, keys could be guessed
 * at full speed.
 */
public final class AuthMiddleware implements Middleware {
    private final List<Authenticator> authenticators;
    private final FailedAuthLimit failures;
    private final RouteMetrics metrics;

    public AuthMiddleware(List<Authenticator> authenticators, FailedAuthLimit failures, RouteMetrics metrics) {
        if (authenticators.isEmpty()) {
            throw new IllegalArgumentException("authentication needs at least one kind of credential");
        }
        this.authenticators = List.copyOf(authenticators);
        this.failures = failures;
        this.metrics = metrics;
    }

    @Override
    public Handler wrap(Handler next) {
        return (w, r) -> {
            String ip = r.remoteAddress().getAddress().getHostAddress();
            long blocked = failures.blockedFor(ip);
            if (blocked > 0) {
                tooMany(w, blocked);
                return;
            }
            for (Authenticator a : authenticators) {
                Principal p;
                try {
                    p = a.authenticate(r);
                } catch (AuthenticationException e) {
                    reject(w, ip, a, e.reason(), e.getMessage());
                    return;
                }
                if (p != null) {
                    r.setAttribute(Principal.ATTRIBUTE, p);
                    next.serve(w, r);
                    return;
                }
            }
            reject(w, ip, null, "missing", "credentials required");
        };
    }

    private void reject(ResponseWriter w, String ip, Authenticator failed, String reason, String message)
            throws Exception {
        metrics.unauthenticated(reason);
        long blocked = failures.failed(ip);
        if (blocked > 0) {
            tooMany(w, blocked);
            return;
        }
        for (Authenticator a : authenticators) {
            String challenge = a.challenge();
            if (a == failed && a instanceof JwtAuthenticator) {
                challenge += ", error=\"invalid_token\", error_description=\"" + message.replace('"', '\'') + "\"";
            }
            w.headers().add("WWW-Authenticate", challenge);
        }
        w.headers().set("Cache-Control", "no-store");
        Responses.text(w, 401, "unauthorized: " + message + "\n");
    }

    /** 429: the client IP failed authentication too often; nothing says whether this credential was good. */
    private void tooMany(ResponseWriter w, long millis) throws Exception {
        metrics.rateLimited();
        w.headers().set("Retry-After", Long.toString(Math.max(1, (millis + 999) / 1000)));
        w.headers().set("Cache-Control", "no-store");
        Responses.text(w, 429, "too many failed authentications from this address\n");
    }
}
