package dev.weft.gateway.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.weft.config.ConfigSection;
import dev.weft.config.Problems;

/**
 * Who may call the routes that require authentication, {@code gateway.auth}.
 *
 * @param apiKeyHeader  the request header that carries an API key
 * @param apiKeys       subject to the API key that stands for it ({@code ci-bot: 0123...}; a subject is a name, a key
 *                      a secret); empty to accept no API keys
 * @param jwt           bearer-token verification, or null to accept no JWTs
 * @param subjectHeader the header that carries the verified subject to upstreams; the gateway removes any value a
 *                      client sent in it, on every route, so upstreams can trust it
 */
public record AuthConfig(String apiKeyHeader, Map<String, String> apiKeys, JwtConfig jwt, String subjectHeader) {
    /** Keys shorter than this are guessable; a generated key is much longer. */
    private static final int MIN_KEY_LENGTH = 16;

    public AuthConfig {
        apiKeys = apiKeys == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(apiKeys));
    }

    /** No credentials; the keys in {@code X-API-Key}, the subject passed on in {@code X-Authenticated-Subject}. */
    public static AuthConfig defaults() {
        return new AuthConfig("X-API-Key", Map.of(), null, "X-Authenticated-Subject");
    }

    /**
     * Reads the section; an absent key keeps its default, and the {@code jwt} section, when given (in the file or by
     * an override), turns JWTs on. Problems, validation included, go to the section's tree.
     */
    public static AuthConfig from(ConfigSection s) {
        // The jwt section checked itself as it was read.
        return s.read(AuthConfig.class, defaults(), AuthConfig::validateOwn);
    }

    /** Adds every problem under {@code path} ({@code gateway.auth}), the JWT section's included. */
    public void validate(String path, Problems problems) {
        validateOwn(path, problems);
        if (jwt != null) {
            jwt.validate(path + ".jwt", problems);
        }
    }

    /** The checks of this record's own settings; {@link #from} has the JWT section check itself. */
    private void validateOwn(String path, Problems problems) {
        problems.required(path + ".apiKeyHeader", apiKeyHeader);
        problems.required(path + ".subjectHeader", subjectHeader);
        Map<String, String> subjectByKey = new HashMap<>();
        apiKeys.forEach((subject, key) -> {
            String where = path + ".apiKeys." + subject;
            // Keys are secrets: messages give their length, never the key.
            if (subject.isBlank()) {
                problems.add(path + ".apiKeys", "must name a subject for every key, was an empty name");
            }
            if (key.length() < MIN_KEY_LENGTH) {
                problems.add(where, "must be at least " + MIN_KEY_LENGTH + " characters, was " + key.length());
            }
            String other = subjectByKey.putIfAbsent(key, subject);
            if (other != null) {
                problems.add(where, "must be a key of its own, was the key of " + other);
            }
        });
    }

    /** True when some credential is configured; a route that requires authentication needs one. */
    public boolean anyCredential() {
        return !apiKeys.isEmpty() || jwt != null;
    }
}
