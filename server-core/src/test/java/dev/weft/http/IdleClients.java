package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The client side of {@link IdleConnectionsTest}, run in its own JVM: opens N keep-alive connections and makes one
 * request on each, prints {@code READY N}, waits for a line on stdin, makes a second request on each, prints
 * {@code OK N}.
 */
public final class IdleClients {
    private static final byte[] REQUEST = "GET /idle HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int n = Integer.parseInt(args[2]);
        List<Socket> sockets = new ArrayList<>(n);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Socket>> opened = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                opened.add(pool.submit(() -> {
                    Socket s = new Socket();
                    s.connect(server, 20_000);
                    s.setSoTimeout(20_000);
                    exchange(s);
                    return s;
                }));
                if (i % 500 == 499) {
                    Thread.sleep(20); // paces the connects so the server's listen backlog keeps up: load, not a wait
                }
            }
            for (Future<Socket> f : opened) {
                sockets.add(f.get());
            }
        }
        System.out.println("READY " + sockets.size());
        System.out.flush();
        System.in.read();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> again = new ArrayList<>(n);
            for (Socket s : sockets) {
                again.add(pool.submit(() -> {
                    exchange(s);
                    return null;
                }));
            }
            for (Future<?> f : again) {
                f.get();
            }
        }
        System.out.println("OK " + sockets.size());
        System.out.flush();
        for (Socket s : sockets) {
            s.close();
        }
    }

    private static void exchange(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(REQUEST);
        out.flush();
        InputStream in = s.getInputStream();
        int matched = 0;
        String end = "\r\n\r\nok";
        while (matched < end.length()) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the response ended");
            }
            matched = b == end.charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }
}
