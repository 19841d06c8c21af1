package dev.weft.gateway.auth;

import dev.weft.http.Request;

/**
 * Who a request was verified to come from.
 *
 * @param subject   the caller: an API key's subject, or a JWT's {@code sub}
 * @param scheme    {@code api-key} or {@code jwt}
 * @param credential an identifier of the credential (an API key's fingerprint, a JWT's {@code jti} or subject),
 *                   for rate limiting per key; never the secret itself
 */
public record Principal(String subject, String scheme, String credential) {
    /** The request attribute under which the authentication middleware stores the principal. */
    public static final String ATTRIBUTE = Principal.class.getName();

    /** The principal verified for {@code r}, or null when the request was not authenticated. */
    public static Principal of(Request r) {
        return (Principal) r.attribute(ATTRIBUTE);
    }
}
