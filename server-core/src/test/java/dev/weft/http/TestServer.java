package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;

import dev.weft.config.ConfigTree;

/** A server on an ephemeral loopback port for one test, plus raw-socket helpers. */
final class TestServer implements AutoCloseable {
    final Server server;

    TestServer(Server server) {
        this.server = server;
    }

    static TestServer start(Handler handler) {
        return start(handler, Map.of());
    }

    /** A server with {@code settings} (keys of the {@code server} section, values as a file or code gives them). */
    static TestServer start(Handler handler, Map<String, ?> settings) {
        return start(handler, settings, null);
    }

    static TestServer start(Handler handler, Map<String, ?> settings, MeterRegistry registry) {
        try {
            return new TestServer(new Server(config(settings), handler, registry).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A test's configuration, read as a service's would be: loopback, an ephemeral port, and {@code settings} over
     * the defaults.
     */
    static ServerConfig config(Map<String, ?> settings) {
        Map<String, Object> all = new HashMap<>(Map.of("host", "127.0.0.1", "port", 0));
        all.putAll(settings);
        return ConfigTree.of(all).read(ServerConfig::from);
    }

    int port() {
        return server.address().getPort();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", port());
        s.setSoTimeout(5000);
        return s;
    }

    /** Sends {@code raw} on a new connection and returns everything the server sends until it closes. */
    String exchange(String raw) throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return readAll(s.getInputStream());
        }
    }

    static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    static void send(Socket s, String raw) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one response with a Content-Length body (or none) from {@code in}: head and body. */
    static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        String h = head.toString();
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return h + new String(body, StandardCharsets.ISO_8859_1);
    }

    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(2));
    }
}
