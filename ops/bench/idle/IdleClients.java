import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Opens N keep-alive connections to 127.0.0.1:PORT, one request each, and leaves them idle; run by ../idle-connections.sh. */
public class IdleClients {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        byte[] request = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket("127.0.0.1", port);
            s.getOutputStream().write(request);
            InputStream in = s.getInputStream();
            if (in.read(new byte[512]) <= 0) {
                throw new IOException("no response on connection " + i);
            }
            open.add(s);
        }
        System.out.println("open " + open.size());
        Thread.sleep(Long.MAX_VALUE);
    }
}
