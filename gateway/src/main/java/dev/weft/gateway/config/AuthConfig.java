package dev.weft.gateway.config;

import java.util.List;
import java.util.Map;

import dev.weft.http.config.ConfigSection;

/**
 * Who may call the routes that require authentication.
 *
 * @param apiKeyHeader  the request header that carries an API key
 * @param apiKeys       API key to the subject it stands for; empty to accept no API keys
 * @param jwt           bearer-token verification, or null to accept no JWTs
 * @param subjectHeader the header that carries the verified subject to upstreams; the gateway removes any value a
 *                      client sent in it, on every route, so upstreams can trust it
 */
public record AuthConfig(String apiKeyHeader, Map<String, String> apiKeys, JwtConfig jwt, String subjectHeader) {
    public static final String DEFAULT_API_KEY_HEADER = "X-API-Key";
    public static final String DEFAULT_SUBJECT_HEADER = "X-Authenticated-Subject";

    public AuthConfig {
        apiKeys = apiKeys == null ? Map.of() : Map.copyOf(apiKeys);
    }

    public static AuthConfig none() {
        return new AuthConfig(DEFAULT_API_KEY_HEADER, Map.of(), null, DEFAULT_SUBJECT_HEADER);
    }

    public AuthConfig withApiKeys(Map<String, String> keys) {
        return new AuthConfig(apiKeyHeader, keys, jwt, subjectHeader);
    }

    public AuthConfig withJwt(JwtConfig j) {
        return new AuthConfig(apiKeyHeader, apiKeys, j, subjectHeader);
    }

    /** Reads {@code apiKeys} as subject to key, the natural way to write it, and turns it around. */
    static AuthConfig from(ConfigSection t) {
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        ConfigSection apiKeys = t.section("apiKeys");
        for (String subject : apiKeys.keys()) {
            if (keys.put(apiKeys.string(subject, ""), subject) != null) {
                t.file().addProblems(List.of(apiKeys.path() + ": two subjects share one key"));
            }
        }
        apiKeys.rejectUnknownKeys(apiKeys.keys());
        AuthConfig a = new AuthConfig(t.string("apiKeyHeader", DEFAULT_API_KEY_HEADER), keys,
                t.has("jwt") ? JwtConfig.from(t.section("jwt")) : null,
                t.string("subjectHeader", DEFAULT_SUBJECT_HEADER));
        t.rejectUnknownKeys(List.of("apiKeyHeader", "apiKeys", "jwt", "subjectHeader"));
        return a;
    }

    void validate(String path, List<String> problems) {
        Validation.required(path + ".apiKeyHeader", apiKeyHeader, problems);
        Validation.required(path + ".subjectHeader", subjectHeader, problems);
        apiKeys.forEach((key, subject) -> {
            if (key.length() < 16) {
                problems.add(path + ".apiKeys: a key for '" + subject + "' is shorter than 16 characters");
            }
            if (subject.isBlank()) {
                problems.add(path + ".apiKeys: a key has an empty subject");
            }
        });
        if (jwt != null) {
            jwt.validate(path + ".jwt", problems);
        }
    }

    /** True when some credential is configured; a route that requires authentication needs one. */
    public boolean anyCredential() {
        return !apiKeys.isEmpty() || jwt != null;
    }
}
