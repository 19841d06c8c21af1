package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.weft.config.ConfigException;

/** TLS from a PKCS#12 keystore and from PEM files, made with the JDK's keytool. */
class TlsTest {
    @TempDir
    static Path dir;
    static Path keystore;
    static SSLContext clientContext;

    @BeforeAll
    static void makeKeystore() throws Exception {
        TestKeystore made = TestKeystore.create(dir);
        keystore = made.keystore();
        clientContext = made.clientContext();
    }

    /** Serves TLS with the {@code server.tls} section {@code settings}, which must read as {@code expected}. */
    private static void assertServesTls(Map<String, ?> settings, ServerConfig.TlsConfig expected) throws Exception {
        try (TestServer t = TestServer.start((w, r) -> w.write("secure=" + r.isTls() + " "
                + r.tlsSession().getProtocol()), Map.of("tls", settings))) {
            assertEquals(expected, t.server.config().tls(), "naming the files turns TLS on");
            HttpClient client = HttpClient.newBuilder().sslContext(clientContext)
                    .version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> res = client.send(HttpRequest.newBuilder(
                    java.net.URI.create("https://127.0.0.1:" + t.port() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode());
            assertTrue(res.body().startsWith("secure=true TLSv1."), res.body());
        }
    }

    @Test
    void servesFromAPkcs12Keystore() throws Exception {
        assertServesTls(Map.of("keystore", keystore, "keystorePassword", "secret"),
                ServerConfig.TlsConfig.pkcs12(keystore, "secret"));
    }

    @Test
    void servesFromPemFiles() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "secret".toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("server", "secret".toCharArray());
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes());
        Path cert = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n"
                + b64.encodeToString(ks.getCertificate("server").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        assertServesTls(Map.of("certificate", cert, "privateKey", keyFile), ServerConfig.TlsConfig.pem(cert, keyFile));
    }

    @Test
    void aWrongPasswordFailsAtConstruction() {
        ServerConfig config = TestServer.config(
                Map.of("tls", Map.of("keystore", keystore, "keystorePassword", "wrong")));
        ConfigException e = assertThrows(ConfigException.class, () -> new Server(config, (w, r) -> { }));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.problems().getFirst().startsWith("server.tls.keystore: cannot be loaded: "), e.getMessage());
    }
}
