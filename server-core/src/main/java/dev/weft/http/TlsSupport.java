package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import dev.weft.config.ConfigException;

/**
 * Builds the server's {@link SSLContext} from a PKCS#12 keystore or from PEM files (a certificate chain and a
 * PKCS#8 private key), with the JDK alone. A file that cannot be used becomes a {@link ConfigException} naming the
 * field, at construction time, not at the first handshake.
 */
final class TlsSupport {
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"};

    private TlsSupport() {}

    static SSLContext context(ServerConfig.TlsConfig tls) {
        KeyStore store;
        char[] password;
        String field;
        try {
            if (tls.keystore() != null) {
                field = "server.tls.keystore";
                password = tls.keystorePassword() == null ? new char[0] : tls.keystorePassword().toCharArray();
                store = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(tls.keystore())) {
                    store.load(in, password);
                }
            } else {
                field = "server.tls.privateKey";
                password = new char[0];
                store = pemStore(tls);
            }
        } catch (ConfigException e) {
            throw e;
        } catch (IOException | GeneralSecurityException e) {
            String name = tls.keystore() != null ? "server.tls.keystore" : "server.tls.certificate";
            throw new ConfigException(List.of(name + ": cannot be loaded: " + e.getMessage()));
        }
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException(List.of(field + ": no usable key: " + e.getMessage()));
        }
    }

    private static KeyStore pemStore(ServerConfig.TlsConfig tls) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(tls.certificate())) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (chain.isEmpty()) {
            throw new ConfigException(List.of("server.tls.certificate: no certificate in " + tls.certificate()));
        }
        String pem = Files.readString(tls.privateKey(), StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf("-----END PRIVATE KEY-----");
        if (from < 0 || to < from) {
            String hint = pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")
                    ? " (found a PKCS#1/SEC1 key: convert it with openssl pkcs8 -topk8 -nocrypt)" : "";
            throw new ConfigException(List.of("server.tls.privateKey: " + tls.privateKey()
                    + " holds no unencrypted PKCS#8 private key" + hint));
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        PrivateKey key = null;
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                break;
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        if (key == null) {
            throw new ConfigException(List.of("server.tls.privateKey: unsupported key algorithm in "
                    + tls.privateKey()));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, new char[0], chain.toArray(new Certificate[0]));
        return store;
    }
}
