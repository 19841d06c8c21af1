package dev.weft.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.weft.http.Server;

/** Authentication on a real gateway: 401s with their challenges, and the verified subject passed upstream. */
class AuthTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-auth-test";
    private static final String API_KEY = "key-0123456789abcdef";

    private Harness h;
    private String base;
    private final AtomicInteger hits = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness();
        Server upstream = h.upstreams.weft((w, r) -> {
            hits.incrementAndGet();
            String subject = r.header("X-Authenticated-Subject");
            w.write("subject=" + subject + " count=" + r.headers().count("X-Authenticated-Subject"));
        });
        base = h.start("""
                routes:
                  - {pattern: /private/, upstream: u, authenticate: true}
                  - {pattern: /public/, upstream: u}
                upstreams: {u: {instances: [%s]}}
                auth:
                  apiKeys: {ci-bot: %s}
                  jwt: {hmacSecret: %s, audience: shop}
                rateLimit: {key: subject}
                """.formatted(Upstreams.hostPort(upstream), API_KEY, SECRET));
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private static String token(String secret, String audience, Instant expiry) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("alice")
                .audience(audience).expirationTime(java.util.Date.from(expiry)).build());
        jwt.sign(new MACSigner(secret.getBytes()));
        return jwt.serialize();
    }

    @Test
    void missingCredentialsGet401WithAChallengePerScheme() throws Exception {
        HttpResponse<String> r = h.get(base + "/private/x");
        assertEquals(401, r.statusCode());
        List<String> challenges = r.headers().allValues("WWW-Authenticate");
        assertEquals(List.of("ApiKey header=\"X-API-Key\"", "Bearer realm=\"weft-gateway\""), challenges);
        assertEquals(0, hits.get(), "never forwarded");
        assertEquals(1, h.counter("gateway.auth.rejected", "route", "/private/", "reason", "missing"));
    }

    @Test
    void badTokensGet401WithInvalidToken() throws Exception {
        Instant later = Instant.now().plusSeconds(600);
        for (var c : List.of(
                List.of(token(SECRET, "shop", Instant.now().minusSeconds(300)), "expired"),
                List.of(token("a-different-secret-0123456789abcdef", "shop", later), "bad_signature"),
                List.of(token(SECRET, "billing", later), "bad_audience"))) {
            HttpResponse<String> r = h.get(base + "/private/x", "Authorization", "Bearer " + c.get(0));
            assertEquals(401, r.statusCode(), c.get(1));
            assertTrue(r.headers().allValues("WWW-Authenticate").stream()
                    .anyMatch(v -> v.startsWith("Bearer realm=\"weft-gateway\", error=\"invalid_token\"")),
                    r.headers().toString());
            assertEquals(1, h.counter("gateway.auth.rejected", "reason", c.get(1)), c.get(1));
        }
        assertEquals(401, h.get(base + "/private/x", "X-API-Key", "key-wrong-0123456789").statusCode());
        assertEquals(0, hits.get());
    }

    @Test
    void theVerifiedSubjectReachesTheUpstreamAndCannotBeForged() throws Exception {
        String jwt = token(SECRET, "shop", Instant.now().plusSeconds(600));
        HttpResponse<String> viaJwt = h.get(base + "/private/x", "Authorization", "Bearer " + jwt,
                "X-Authenticated-Subject", "admin");
        assertEquals(200, viaJwt.statusCode());
        assertEquals("subject=alice count=1", viaJwt.body());

        HttpResponse<String> viaKey = h.get(base + "/private/x", "X-API-Key", API_KEY);
        assertEquals("subject=ci-bot count=1", viaKey.body());

        HttpResponse<String> forgedOnPublic = h.get(base + "/public/x", "X-Authenticated-Subject", "admin");
        assertEquals(200, forgedOnPublic.statusCode());
        assertEquals("subject=null count=0", forgedOnPublic.body(), "stripped on routes without authentication too");
    }

    @Test
    void failedAuthenticationIsSlowedTo429PerClientAddress() throws Exception {
        Server upstream = h.upstreams.weft((w, r) -> {
            hits.incrementAndGet();
            w.write("ok");
        });
        // three failures in a row, then one every two seconds: far more than a person mistyping, far too few to guess
        AtomicLong now = new AtomicLong(); // the buckets' clock: no refill unless the test moves it
        String guarded = h.start(Harness.config("""
                routes:
                  - {pattern: /private/, upstream: u, authenticate: true}
                  - {pattern: /public/, upstream: u}
                upstreams: {u: {instances: [%s]}}
                auth: {apiKeys: {ci-bot: %s}, jwt: {hmacSecret: %s}}
                rateLimit: {failedAuth: {ratePerSecond: 0.5, burst: 3}}
                """.formatted(Upstreams.hostPort(upstream), API_KEY, SECRET)), now::get);
        String badJwt = token("a-different-secret-0123456789abcdef", "shop", Instant.now().plusSeconds(600));
        assertEquals(401, h.get(guarded + "/private/x", "X-API-Key", "key-guess-0000000000").statusCode());
        assertEquals(401, h.get(guarded + "/private/x", "Authorization", "Bearer " + badJwt).statusCode());
        assertEquals(401, h.get(guarded + "/private/x").statusCode(), "a missing credential is a failure too");

        HttpResponse<String> limited = h.get(guarded + "/private/x", "X-API-Key", "key-guess-0000000001");
        assertEquals(429, limited.statusCode(), limited.body());
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "the next failure is due within 2 s: " + retryAfter);
        HttpResponse<String> right = h.get(guarded + "/private/x", "X-API-Key", API_KEY);
        assertEquals(429, right.statusCode(), "while blocked, the right key cannot be told from a wrong one");
        assertEquals(0, hits.get(), "nothing was forwarded");
        assertEquals(2, h.counter("gateway.ratelimit.rejected", "route", "/private/"));
        assertEquals(200, h.get(guarded + "/public/x").statusCode(), "routes without authentication are not blocked");

        now.addAndGet(Duration.ofMillis(1999).toNanos());
        assertEquals(429, h.get(guarded + "/private/x", "X-API-Key", API_KEY).statusCode(), "blocked for 2 s");
        now.addAndGet(Duration.ofMillis(2).toNanos());
        assertEquals(200, h.get(guarded + "/private/x", "X-API-Key", API_KEY).statusCode(),
                "once the block ends, a right key passes");
    }
}
