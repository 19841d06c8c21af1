package dev.weft.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import dev.weft.http.Request;

/**
 * API keys in a request header. Keys are held as SHA-256 digests and looked up by digest, so the lookup's timing
 * says nothing about how close a guess came, and a heap dump holds no usable key.
 */
public final class ApiKeyAuthenticator implements Authenticator {
    private final String header;
    private final Map<String, String> subjectByDigest = new HashMap<>();

    /** {@code keysBySubject} maps each subject to its key, as {@code gateway.auth.apiKeys} does. */
    public ApiKeyAuthenticator(String header, Map<String, String> keysBySubject) {
        this.header = header;
        keysBySubject.forEach((subject, key) -> subjectByDigest.put(digest(key), subject));
    }

    @Override
    public Principal authenticate(Request r) throws AuthenticationException {
        String key = r.header(header);
        if (key == null) {
            return null;
        }
        String d = digest(key.trim());
        String subject = subjectByDigest.get(d);
        if (subject == null) {
            throw new AuthenticationException("unknown_api_key", "the API key is not valid");
        }
        return new Principal(subject, "api-key", d.substring(0, 16));
    }

    @Override
    public String challenge() {
        return "ApiKey header=\"" + header + "\"";
    }

    private static String digest(String key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
