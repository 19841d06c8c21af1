package dev.weft.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.weft.config.ConfigTree;
import dev.weft.gateway.config.JwtConfig;
import dev.weft.http.Headers;
import dev.weft.http.Request;

class JwtAuthenticatorTest {
    static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";

    static String hs256(String secret, String subject, String audience, Instant expiry) throws Exception {
        return sign(new MACSigner(secret.getBytes()), new JWSHeader(JWSAlgorithm.HS256), subject, audience, expiry);
    }

    static String sign(JWSSigner signer, JWSHeader header, String subject, String audience, Instant expiry)
            throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).issuer("https://id.weft.dev")
                .audience(audience).expirationTime(Date.from(expiry)).issueTime(new Date()).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static Request bearer(String token) {
        return Request.newRequest("GET", "/x", new Headers().add("Authorization", "Bearer " + token), null);
    }

    private final JwtAuthenticator hmac = new JwtAuthenticator(jwt(Map.of(
            "hmacSecret", SECRET, "issuer", "https://id.weft.dev", "audience", "shop")));
    private final Instant inAnHour = Instant.now().plusSeconds(3600);

    @Test
    void acceptsAValidHs256Token() throws Exception {
        Principal p = hmac.authenticate(bearer(hs256(SECRET, "alice", "shop", inAnHour)));
        assertEquals("alice", p.subject());
        assertEquals("jwt", p.scheme());
    }

    @Test
    void ignoresRequestsWithoutABearerToken() throws Exception {
        assertNull(hmac.authenticate(Request.newRequest("GET", "/x")));
        assertNull(hmac.authenticate(Request.newRequest("GET", "/x",
                new Headers().add("Authorization", "Basic YTpi"), null)));
    }

    @Test
    void rejectsExpiredWrongSignatureWrongAudienceWrongIssuerAndGarbage() throws Exception {
        assertEquals("expired", reason(hmac, hs256(SECRET, "alice", "shop", Instant.now().minusSeconds(120))));
        assertEquals("bad_signature",
                reason(hmac, hs256("another-secret-of-at-least-32-bytes!!", "alice", "shop", inAnHour)));
        assertEquals("bad_audience", reason(hmac, hs256(SECRET, "alice", "billing", inAnHour)));
        JWTClaimsSet otherIssuer = new JWTClaimsSet.Builder().subject("alice").issuer("https://evil")
                .audience("shop").expirationTime(Date.from(inAnHour)).build();
        SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), otherIssuer);
        forged.sign(new MACSigner(SECRET.getBytes()));
        assertEquals("bad_issuer", reason(hmac, forged.serialize()));
        assertEquals("malformed", reason(hmac, "not.a.jwt"));
    }

    @Test
    void withinClockSkewAnExpiredTokenStillPasses() throws Exception {
        assertEquals("alice",
                hmac.authenticate(bearer(hs256(SECRET, "alice", "shop", Instant.now().minusSeconds(5)))).subject());
    }

    @Test
    void expiryIsJudgedByTheInjectedClockWithTheSkew() throws Exception {
        Instant expiry = Instant.parse("2030-01-01T00:00:00Z");
        Instant[] now = {expiry.plusSeconds(29)};
        JwtAuthenticator at = new JwtAuthenticator(jwt(Map.of("hmacSecret", SECRET, "clockSkew", "30s")),
                () -> now[0], System::nanoTime);
        String token = hs256(SECRET, "alice", "shop", expiry);
        assertEquals("alice", at.authenticate(bearer(token)).subject(), "29 s past exp, inside the 30 s skew");
        now[0] = expiry.plusSeconds(31);
        assertEquals("expired", reason(at, token), "31 s past exp");
    }

    @Test
    void rs256KeysRotateThroughTheJwksFile(@TempDir Path dir) throws Exception {
        RSAKey oldKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey newKey = new RSAKeyGenerator(2048).keyID("k2").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(oldKey.toPublicJWK()).toString());
        long[] nanos = {0};
        JwtAuthenticator rsa = new JwtAuthenticator(
                jwt(Map.of("jwksFile", jwks, "issuer", "https://id.weft.dev", "audience", "shop")),
                java.time.InstantSource.system(), () -> nanos[0]);

        String byOld = sign(new RSASSASigner(oldKey), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                "bob", "shop", inAnHour);
        String byNew = sign(new RSASSASigner(newKey), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k2").build(),
                "carol", "shop", inAnHour);
        assertEquals("bob", rsa.authenticate(bearer(byOld)).subject());
        assertEquals("unknown_key", reason(rsa, byNew));

        Files.writeString(jwks, new JWKSet(List.of(oldKey.toPublicJWK(), newKey.toPublicJWK())).toString());
        Files.setLastModifiedTime(jwks, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
        nanos[0] = 999_999_999L;
        assertEquals("unknown_key", reason(rsa, byNew), "the file is checked at most once a second");
        nanos[0] = 1_000_000_000L;
        assertEquals("carol", rsa.authenticate(bearer(byNew)).subject());
        assertEquals("bob", rsa.authenticate(bearer(byOld)).subject());
    }

    @Test
    void rs256KeysComeFromAJwksUrl() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("url-1").generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        java.util.concurrent.atomic.AtomicInteger fetches = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
        try {
            java.net.URI url = java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                    + "/.well-known/jwks.json");
            JwtAuthenticator rsa = new JwtAuthenticator(jwt(Map.of("jwksUrl", url.toString(), "audience", "shop",
                    // far above any pause of a busy machine: one fetch, not a timed-out one and its retry
                    "jwksTimeout", "30s")));
            String token = sign(new RSASSASigner(key), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("url-1")
                    .build(), "dave", "shop", inAnHour);
            assertEquals("dave", rsa.authenticate(bearer(token)).subject());
            assertEquals("dave", rsa.authenticate(bearer(token)).subject());
            assertEquals(1, fetches.get(), "the key set is cached");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anHmacTokenIsNotCheckedAgainstAnRsaPublicKey(@TempDir Path dir) throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
        JwtAuthenticator rsaOnly = new JwtAuthenticator(jwt(Map.of("jwksFile", jwks)));
        // the classic confusion attack: HS256 "signed" with the public key's bytes
        String confused = sign(new MACSigner(key.toPublicJWK().toJSONString().getBytes()),
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), "mallory", "shop", inAnHour);
        assertEquals("unknown_key", reason(rsaOnly, confused));
    }

    @Test
    void apiKeysMapToSubjects() throws Exception {
        ApiKeyAuthenticator keys = new ApiKeyAuthenticator("X-API-Key", Map.of("ci-bot", "k-0123456789abcdef"));
        Principal p = keys.authenticate(Request.newRequest("GET", "/", new Headers().add("X-API-Key",
                "k-0123456789abcdef"), null));
        assertEquals("ci-bot", p.subject());
        assertEquals("api-key", p.scheme());
        assertNull(keys.authenticate(Request.newRequest("GET", "/")));
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> keys.authenticate(
                Request.newRequest("GET", "/", new Headers().add("X-API-Key", "k-0123456789abcdeX"), null)));
        assertEquals("unknown_api_key", e.reason());
    }

    /** A {@code gateway.auth.jwt} section read as a file's would be. */
    private static JwtConfig jwt(Map<String, ?> settings) {
        return ConfigTree.of(settings).read(JwtConfig::from);
    }

    private static String reason(JwtAuthenticator a, String token) {
        return assertThrows(AuthenticationException.class, () -> a.authenticate(bearer(token))).reason();
    }
}
