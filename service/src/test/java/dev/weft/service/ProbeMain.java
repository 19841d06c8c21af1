package dev.weft.service;

import dev.weft.http.Responses;

/** A service run as a process by {@link ExitStatusTest}: it serves {@code /hello} on whatever its file turns on. */
public final class ProbeMain {
    private ProbeMain() {}

    public static void main(String[] args) {
        Weft.run("probe", args, config -> (modules, mux) ->
                mux.handle("GET /hello", (w, r) -> Responses.text(w, 200, "hello\n")));
    }
}
