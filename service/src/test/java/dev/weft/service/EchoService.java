package dev.weft.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.weft.http.ServeMux;

/** The smallest service on the skeleton, run as a process by the tests: a route that logs, and one that fails. */
public final class EchoService implements Service {
    private static final Logger log = LoggerFactory.getLogger(EchoService.class);

    public static void main(String[] args) {
        Weft.run("echo", args, config -> new EchoService());
    }

    @Override
    public void start(Modules modules, ServeMux mux) {
        mux.handle("GET /hello/{name}", (w, r) -> {
            log.info("saying hello to {}", r.pathValue("name"));
            w.write("hello\n");
        });
        mux.handle("GET /fail", (w, r) -> {
            throw new IllegalStateException("the handler failed");
        });
    }
}
