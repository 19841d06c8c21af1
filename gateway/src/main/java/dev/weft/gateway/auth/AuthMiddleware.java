package dev.weft.gateway.auth;

import java.util.List;

import dev.weft.gateway.metrics.GatewayMetrics.RouteMetrics;
import dev.weft.http.Handler;
import dev.weft.http.Middleware;
import dev.weft.http.ResponseWriter;
import dev.weft.http.Responses;

/**
 * Lets a request through only with a valid credential of one of the configured kinds, and records who it is
 * ({@link Principal#of}). Otherwise answers 401 with a {@code WWW-Authenticate} challenge per kind (RFC 6750's
 * {@code error="invalid_token"} when a bearer token was present but bad).
 */
public final class AuthMiddleware implements Middleware {
    private final List<Authenticator> authenticators;
    private final RouteMetrics metrics;

    public AuthMiddleware(List<Authenticator> authenticators, RouteMetrics metrics) {
        if (authenticators.isEmpty()) {
            throw new IllegalArgumentException("authentication needs at least one kind of credential");
        }
        this.authenticators = List.copyOf(authenticators);
        this.metrics = metrics;
    }

    @Override
    public Handler wrap(Handler next) {
        return (w, r) -> {
            for (Authenticator a : authenticators) {
                Principal p;
                try {
                    p = a.authenticate(r);
                } catch (AuthenticationException e) {
                    reject(w, a, e.reason(), e.getMessage());
                    return;
                }
                if (p != null) {
                    r.setAttribute(Principal.ATTRIBUTE, p);
                    next.serve(w, r);
                    return;
                }
            }
            reject(w, null, "missing", "credentials required");
        };
    }

    private void reject(ResponseWriter w, Authenticator failed, String reason, String message) throws Exception {
        metrics.unauthenticated(reason);
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
}
