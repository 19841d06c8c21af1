package dev.weft.gateway.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.util.List;
import java.util.function.LongSupplier;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

/**
 * A JWKS file, re-read when its modification time changes (checked at most once a second), so that keys rotate by
 * rewriting the file: publish the new key next to the old one, switch the issuer over, then drop the old key. A
 * file that fails to parse keeps the previous keys in use.
 *
 * <p>The check interval runs on an injected nanosecond clock ({@link System#nanoTime()} in service), so that a test
 * can step past it instead of waiting a real second.
 */
final class JwksFile implements JWKSource<SecurityContext> {
    private static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;

    private final Path file;
    private volatile JWKSet keys = new JWKSet();
    private volatile FileTime loadedVersion;
    private final LongSupplier nanoClock;
    private volatile long nextCheckNanos;

    JwksFile(Path file, LongSupplier nanoClock) {
        this.file = file;
        this.nanoClock = nanoClock;
        this.nextCheckNanos = nanoClock.getAsLong();
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        long now = nanoClock.getAsLong();
        if (now - nextCheckNanos >= 0) {
            reloadIfChanged(now);
        }
        return selector.select(keys);
    }

    private synchronized void reloadIfChanged(long now) throws KeySourceException {
        if (now - nextCheckNanos < 0) {
            return;
        }
        nextCheckNanos = now + CHECK_INTERVAL_NANOS;
        try {
            FileTime version = Files.getLastModifiedTime(file);
            if (version.equals(loadedVersion)) {
                return;
            }
            keys = JWKSet.load(file.toFile());
            loadedVersion = version;
        } catch (IOException | ParseException e) {
            if (loadedVersion == null) {
                throw new KeySourceException("cannot read JWKS file " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
