package dev.weft.gateway.auth;

import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import dev.weft.gateway.config.JwtConfig;
import dev.weft.http.Request;

/**
 * Bearer JWTs ({@code Authorization: Bearer <token>}), verified with Nimbus JOSE+JWT: HS256 with a shared secret,
 * RS256 with the keys of a JWKS file or URL. Only those two algorithms are accepted, each only with its own key
 * type, so a token cannot pick {@code none} or pass an RSA public key off as an HMAC secret. The token must carry
 * {@code sub} and {@code exp}, and the configured {@code iss} and {@code aud}.
 *
 * <p>Time is injectable: {@code exp} and {@code nbf} are checked against a wall clock ({@link InstantSource}) and
 * the JWKS file's re-read interval runs on a nanosecond clock, so that tests state expiry and rotation at exact
 * instants instead of sleeping. In service they are the system clock and {@link System#nanoTime()}.
 */
public final class JwtAuthenticator implements Authenticator {
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public JwtAuthenticator(JwtConfig config) {
        this(config, InstantSource.system(), System::nanoTime);
    }

    JwtAuthenticator(JwtConfig config, InstantSource clock, LongSupplier nanoClock) {
        List<JWKSource<SecurityContext>> sources = new ArrayList<>();
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        if (config.hmacSecret() != null) {
            OctetSequenceKey key = new OctetSequenceKey.Builder(config.hmacSecret().getBytes(StandardCharsets.UTF_8))
                    .algorithm(JWSAlgorithm.HS256).build();
            sources.add(new ImmutableJWKSet<>(new JWKSet(key)));
            algorithms.add(JWSAlgorithm.HS256);
        }
        if (config.jwksFile() != null) {
            sources.add(new JwksFile(config.jwksFile(), nanoClock));
            algorithms.add(JWSAlgorithm.RS256);
        }
        if (config.jwksUrl() != null) {
            try {
                int timeout = (int) Math.min(Integer.MAX_VALUE, config.jwksTimeout().toMillis());
                sources.add(JWKSourceBuilder.<SecurityContext>create(config.jwksUrl().toURL(),
                                new DefaultResourceRetriever(timeout, timeout, JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT))
                        .retrying(true).build());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("jwt.jwksUrl: " + e.getMessage(), e);
            }
            algorithms.add(JWSAlgorithm.RS256);
        }
        JWKSource<SecurityContext> keys = (selector, context) -> {
            List<JWK> found = new ArrayList<>();
            for (JWKSource<SecurityContext> s : sources) {
                found.addAll(s.get(selector, context));
            }
            return found;
        };
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        JWTClaimsSet exact = config.issuer() == null ? new JWTClaimsSet.Builder().build()
                : new JWTClaimsSet.Builder().issuer(config.issuer()).build();
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                config.audience() == null ? null : Set.of(config.audience()), exact, Set.of("sub", "exp"), null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) config.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    @Override
    public Principal authenticate(Request r) throws AuthenticationException {
        String authorization = r.header("Authorization");
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        try {
            JWTClaimsSet claims = processor.process(token, null);
            String id = claims.getJWTID();
            return new Principal(claims.getSubject(), "jwt", id != null ? id : claims.getSubject());
        } catch (ParseException e) {
            throw new AuthenticationException("malformed", "the token is not a well-formed JWT");
        } catch (BadJWTException e) {
            throw new AuthenticationException(claimsReason(e.getMessage()), e.getMessage());
        } catch (BadJOSEException e) {
            String m = String.valueOf(e.getMessage());
            throw new AuthenticationException(m.contains("Invalid signature") ? "bad_signature" : "unknown_key", m);
        } catch (JOSEException e) {
            throw new AuthenticationException("key_unavailable", "the token's key could not be loaded");
        }
    }

    private static String claimsReason(String message) {
        String m = String.valueOf(message);
        if (m.contains("Expired")) {
            return "expired";
        }
        if (m.contains("audience") || m.contains("aud claim")) {
            return "bad_audience";
        }
        if (m.contains("iss claim")) {
            return "bad_issuer";
        }
        if (m.contains("before use time")) {
            return "not_yet_valid";
        }
        if (m.contains("missing required claims")) {
            return "missing_claims";
        }
        return "invalid_claims";
    }

    @Override
    public String challenge() {
        return "Bearer realm=\"weft-gateway\"";
    }
}
