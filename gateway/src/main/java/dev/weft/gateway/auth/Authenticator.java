package dev.weft.gateway.auth;

import dev.weft.http.Request;

/** Verifies one kind of credential. */
public interface Authenticator {
    /**
     * The principal the request's credential of this kind proves, or null when the request carries no such
     * credential.
     *
     * @throws AuthenticationException when it carries one that is not valid
     */
    Principal authenticate(Request r) throws AuthenticationException;

    /** The challenge for the {@code WWW-Authenticate} header of a 401. */
    String challenge();
}
