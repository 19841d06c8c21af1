package dev.weft.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.weft.http.config.ConfigSection;

/**
 * Bearer JWT verification. HS256 tokens are checked with {@code hmacSecret}; RS256 tokens with the public keys of a
 * JWKS document, read from {@code jwksFile} (re-read when it changes) or fetched from {@code jwksUrl} (cached and
 * re-fetched when a token names an unknown key id): either way, keys rotate without a restart.
 *
 * @param hmacSecret the HS256 shared secret (at least 32 bytes), or null
 * @param jwksFile   a JWKS file of public keys, or null
 * @param jwksUrl    a JWKS URL, or null
 * @param issuer     the required {@code iss}, or null to accept any
 * @param audience   the required {@code aud}, or null to accept any
 * @param clockSkew  tolerance on {@code exp} and {@code nbf}
 */
public record JwtConfig(String hmacSecret, Path jwksFile, URI jwksUrl, String issuer, String audience,
                        Duration clockSkew) {
    /** 30 s: clocks of machines kept by NTP agree to well within this; more would extend stolen tokens' lives. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

    public static JwtConfig hmac(String secret, String issuer, String audience) {
        return new JwtConfig(secret, null, null, issuer, audience, DEFAULT_CLOCK_SKEW);
    }

    public JwtConfig withJwksFile(Path file) {
        return new JwtConfig(hmacSecret, file, jwksUrl, issuer, audience, clockSkew);
    }

    static JwtConfig from(ConfigSection t) {
        String file = t.string("jwksFile", null);
        String url = t.string("jwksUrl", null);
        URI uri = null;
        if (url != null) {
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                t.file().addProblems(List.of(t.path() + ".jwksUrl: is not a URL: " + e.getMessage()));
            }
        }
        JwtConfig j = new JwtConfig(t.string("hmacSecret", null), file == null ? null : Path.of(file), uri,
                t.string("issuer", null), t.string("audience", null),
                t.duration("clockSkew", DEFAULT_CLOCK_SKEW));
        t.rejectUnknownKeys(List.of("hmacSecret", "jwksFile", "jwksUrl", "issuer", "audience", "clockSkew"));
        return j;
    }

    void validate(String path, List<String> problems) {
        if (hmacSecret == null && jwksFile == null && jwksUrl == null) {
            problems.add(path + ": give hmacSecret, jwksFile or jwksUrl");
        }
        if (hmacSecret != null && hmacSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            problems.add(path + ".hmacSecret: must be at least 32 bytes for HS256");
        }
        if (jwksFile != null && !java.nio.file.Files.isReadable(jwksFile)) {
            problems.add(path + ".jwksFile: cannot read " + jwksFile);
        }
        if (jwksUrl != null && !"https".equals(jwksUrl.getScheme()) && !"http".equals(jwksUrl.getScheme())) {
            problems.add(path + ".jwksUrl: must be an http or https URL, got " + jwksUrl);
        }
        if (clockSkew == null || clockSkew.isNegative()) {
            problems.add(path + ".clockSkew: must be zero or positive, got " + clockSkew);
        }
    }
}
