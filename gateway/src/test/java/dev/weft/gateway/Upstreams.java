package dev.weft.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.weft.config.ConfigTree;
import dev.weft.http.Handler;
import dev.weft.http.Server;
import dev.weft.http.ServerConfig;

/** Real upstream servers for the gateway's tests, on ephemeral loopback ports, closed by {@link #close}. */
final class Upstreams implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();

    /** A Weft server answering with {@code handler}. */
    Server weft(Handler handler) throws IOException {
        return weft(handler, 0);
    }

    /** A Weft server on {@code port} (0 for any). */
    Server weft(Handler handler, int port) throws IOException {
        Server s = new Server(serverConfig(port), handler).start();
        open.add(() -> s.shutdown(Duration.ofMillis(200)));
        return s;
    }

    /**
     * A broken upstream: accepts connections, reads a request head, and closes without answering. Counts the
     * requests it swallowed.
     */
    Broken broken() throws IOException {
        return scripted(null);
    }

    /**
     * A raw upstream: reads each request head (bodies must be empty) and answers with {@code response} verbatim on
     * the same connection, or closes without answering when it is null. Records the heads it read.
     */
    Broken scripted(String response) throws IOException {
        Broken b = new Broken(response);
        open.add(b);
        return b;
    }

    /** A Weft server on loopback {@code port} (0 for any) that takes bodies up to 1 GiB. */
    static ServerConfig serverConfig(int port) {
        return ConfigTree.of(Map.of("host", "127.0.0.1", "port", port, "maxBodyBytes", "1GiB"))
                .read(ServerConfig::from);
    }

    static String hostPort(Server s) {
        return "127.0.0.1:" + s.address().getPort();
    }

    /** A loopback port nothing listens on. */
    static String closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    static final class Broken implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        final AtomicInteger requests = new AtomicInteger();
        final List<String> heads = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final String response;

        Broken(String response) throws IOException {
            this.response = response;
            Thread.startVirtualThread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket c = socket.accept();
                        Thread.startVirtualThread(() -> swallow(c));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void swallow(Socket c) {
            try (c) {
                InputStream in = c.getInputStream();
                StringBuilder head = new StringBuilder();
                int b;
                while ((b = in.read()) >= 0) {
                    head.append((char) b);
                    if (head.toString().endsWith("\r\n\r\n")) {
                        requests.incrementAndGet();
                        heads.add(head.toString());
                        if (response == null) {
                            return;
                        }
                        c.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                        c.getOutputStream().flush();
                        head.setLength(0);
                    }
                }
            } catch (IOException ignored) {
                // the gateway gave up first
            }
        }

        String hostPort() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Sends raw bytes to {@code address} and returns everything the server sent until it closed. */
    static String raw(InetSocketAddress address, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, 1000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
