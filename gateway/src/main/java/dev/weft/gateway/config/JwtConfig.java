package dev.weft.gateway.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;

/**
 * Bearer JWT verification, {@code gateway.auth.jwt}. HS256 tokens are checked with {@code hmacSecret}; RS256 tokens
 * with the public keys of a JWKS document, read from {@code jwksFile} (re-read when it changes) or fetched from
 * {@code jwksUrl} (cached and re-fetched when a token names an unknown key id): either way, keys rotate without a
 * restart. At least one of the three must be given.
 *
 * @param hmacSecret the HS256 shared secret (at least 32 bytes), or null
 * @param jwksFile   a JWKS file of public keys, or null
 * @param jwksUrl    a JWKS URL (http or https), or null
 * @param issuer     the required {@code iss}, or null to accept any
 * @param audience   the required {@code aud}, or null to accept any
 * @param clockSkew  tolerance on {@code exp} and {@code nbf}
 * @param jwksTimeout how long fetching {@code jwksUrl} may take to connect, and then to read
 */
public record JwtConfig(String hmacSecret, Path jwksFile, URI jwksUrl, String issuer, String audience,
                        Duration clockSkew, Duration jwksTimeout) {
    /**
     * No keys, any issuer and audience, 30 s of clock skew, 2 s for each of the JWKS fetch's connect and read (the
     * service README gives the reasons).
     */
    public static JwtConfig defaults() {
        return new JwtConfig(null, null, null, null, null, Duration.ofSeconds(30), Duration.ofSeconds(2));
    }

    /** Reads the section; an absent key keeps its default; problems, validation included, go to the section's tree. */
    public static JwtConfig from(ConfigSection s) {
        return s.read(JwtConfig.class, defaults(), JwtConfig::validate);
    }

    /** Adds every problem under {@code path} ({@code gateway.auth.jwt}). */
    public void validate(String path, Problems problems) {
        if (hmacSecret == null && jwksFile == null && jwksUrl == null) {
            problems.add(path, "must give hmacSecret, jwksFile or jwksUrl, was none of them");
        }
        if (hmacSecret != null) {
            int bytes = hmacSecret.getBytes(StandardCharsets.UTF_8).length;
            if (bytes < 32) {
                // The secret itself is never echoed.
                problems.add(path + ".hmacSecret", "must be at least 32 bytes for HS256, was " + bytes + " bytes");
            }
        }
        problems.readable(path + ".jwksFile", jwksFile);
        if (jwksUrl != null && (jwksUrl.getHost() == null
                || !"https".equals(jwksUrl.getScheme()) && !"http".equals(jwksUrl.getScheme()))) {
            problems.add(path + ".jwksUrl", "must be an http or https URL, was \"" + jwksUrl + "\"");
        }
        problems.notNegative(path + ".clockSkew", clockSkew);
        problems.positive(path + ".jwksTimeout", jwksTimeout);
    }
}
