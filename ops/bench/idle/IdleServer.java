import dev.weft.http.ServeMux;
import dev.weft.http.Server;
import dev.weft.http.ServerConfig;

/** A server-core server on 127.0.0.1:PORT answering "ok"; run by ../idle-connections.sh. */
public class IdleServer {
    public static void main(String[] args) throws Exception {
        ServerConfig config = ServerConfig.defaults().toBuilder().host("127.0.0.1").port(Integer.parseInt(args[0])).build();
        ServeMux mux = new ServeMux();
        mux.handle("GET /", (w, r) -> w.write("ok\n"));
        new Server(config, mux).start();
        System.out.println("ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}
