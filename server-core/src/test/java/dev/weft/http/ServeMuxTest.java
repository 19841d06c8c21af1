package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ServeMuxTest {
    /** The table's routes; each handler answers 200 with the pattern's text so that tests see who answered. */
    private static final List<String> ROUTES = List.of(
            "GET /plaintext",
            "GET /products/{id}",
            "GET /products/new",
            "POST /products",
            "DELETE /products/{id}",
            "GET /products/{id}/reviews/{rest...}",
            "/static/",
            "GET /files/{path...}",
            "GET /{$}",
            "shop.example/hosted",
            "GET shop.example/products/{id}",
            "/users/{id}/",
            "GET /items/{id}/{$}",
            "PUT /items/{id}");

    private static final ServeMux MUX = muxOf(ROUTES);

    static ServeMux muxOf(List<String> patterns) {
        ServeMux mux = new ServeMux();
        for (String p : patterns) {
            mux.handle(p, (w, r) -> w.write("served by " + p));
        }
        return mux;
    }

    /**
     * One request and what must answer it: a pattern (with path values), a redirect, or an error status.
     *
     * @param host     the Host header, or null for the default (example.com)
     * @param pattern  the pattern that must serve it, or null when the mux answers itself
     * @param status   the status the client sees
     * @param expected path values, or the Location of a redirect, or the Allow list of a 405 (as "allow" key)
     */
    record Case(String method, String target, String host, String pattern, int status, Map<String, String> expected) {
        @Override
        public String toString() {
            return method + " " + target + (host == null ? "" : " Host:" + host);
        }
    }

    static Case served(String method, String target, String pattern, String... values) {
        return servedFor(method, target, null, pattern, values);
    }

    static Case servedFor(String method, String target, String host, String pattern, String... values) {
        Map<String, String> v = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i += 2) {
            v.put(values[i], values[i + 1]);
        }
        return new Case(method, target, host, pattern, 200, v);
    }

    static Case redirect(String method, String target, String location) {
        return new Case(method, target, null, null, 301, Map.of("Location", location));
    }

    static Case status(String method, String target, String host, int status, String allow) {
        return new Case(method, target, host, null, status, allow == null ? Map.of() : Map.of("Allow", allow));
    }

    static Stream<Case> cases() {
        return Stream.of(
                served("GET", "/plaintext", "GET /plaintext"),
                served("HEAD", "/plaintext", "GET /plaintext"),
                status("POST", "/plaintext", null, 405, "GET, HEAD"),
                served("GET", "/products/42", "GET /products/{id}", "id", "42"),
                served("GET", "/products/new", "GET /products/new"),
                served("GET", "/products/%6Eew", "GET /products/new"),
                served("DELETE", "/products/new", "DELETE /products/{id}", "id", "new"),
                status("PUT", "/products/42", null, 405, "DELETE, GET, HEAD"),
                served("POST", "/products", "POST /products"),
                status("GET", "/products", null, 405, "POST"),
                status("GET", "/products/", null, 404, null),
                served("GET", "/products/a%20b", "GET /products/{id}", "id", "a b"),
                served("GET", "/products/x%2Fy", "GET /products/{id}", "id", "x/y"),
                served("GET", "/products/42/reviews/a/b%2Fc", "GET /products/{id}/reviews/{rest...}",
                        "id", "42", "rest", "a/b/c"),
                served("GET", "/products/42/reviews/", "GET /products/{id}/reviews/{rest...}",
                        "id", "42", "rest", ""),
                redirect("GET", "/products/42/reviews", "/products/42/reviews/"),
                redirect("GET", "/static", "/static/"),
                redirect("GET", "/static?v=2", "/static/?v=2"),
                served("GET", "/static/css/site.css", "/static/"),
                served("POST", "/static/upload", "/static/"),
                served("GET", "/static/", "/static/"),
                served("GET", "/files/a/b", "GET /files/{path...}", "path", "a/b"),
                served("GET", "/files/", "GET /files/{path...}", "path", ""),
                served("HEAD", "/files/x", "GET /files/{path...}", "path", "x"),
                redirect("GET", "/files", "/files/"),
                served("GET", "/", "GET /{$}"),
                served("HEAD", "/?q=1", "GET /{$}"),
                status("POST", "/", null, 405, "GET, HEAD"),
                status("GET", "/nothing", null, 404, null),
                status("GET", "/hosted", null, 404, null),
                servedFor("GET", "/hosted", "shop.example", "shop.example/hosted"),
                servedFor("POST", "/hosted", "shop.example:8080", "shop.example/hosted"),
                servedFor("GET", "/hosted", "SHOP.Example", "shop.example/hosted"),
                status("GET", "/hosted", "other.example", 404, null),
                servedFor("GET", "/products/7", "shop.example", "GET shop.example/products/{id}", "id", "7"),
                // A pattern with the host wins over a more specific one without.
                servedFor("GET", "/products/new", "shop.example", "GET shop.example/products/{id}", "id", "new"),
                // No DELETE among the host's patterns: the host-less ones apply.
                servedFor("DELETE", "/products/7", "shop.example", "DELETE /products/{id}", "id", "7"),
                redirect("GET", "/users/5", "/users/5/"),
                served("GET", "/users/5/", "/users/{id}/", "id", "5"),
                served("PATCH", "/users/a%2Fb/x/y", "/users/{id}/", "id", "a/b"),
                served("GET", "/items/3/", "GET /items/{id}/{$}", "id", "3"),
                status("GET", "/items/3/x", null, 404, null),
                redirect("GET", "/items/3", "/items/3/"),
                served("PUT", "/items/3", "PUT /items/{id}", "id", "3"),
                status("POST", "/items/3", null, 405, "GET, HEAD, PUT"),
                redirect("GET", "/a/../plaintext", "/plaintext"),
                redirect("GET", "//plaintext", "/plaintext"),
                redirect("GET", "/./plaintext?x=1", "/plaintext?x=1"),
                redirect("POST", "/static/../products", "/products"),
                redirect("GET", "/../../", "/"),
                redirect("GET", "/static/./a/..//b/", "/static/b/"),
                // Cleaning first, then the trailing-slash redirect, in one hop.
                redirect("GET", "/x/../static", "/static/"),
                status("OPTIONS", "*", null, 400, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void routes(Case c) throws Exception {
        Headers headers = new Headers();
        if (c.host() != null) {
            headers.set("Host", c.host());
        }
        Request r = Request.newRequest(c.method(), c.target(), headers, null);
        RecordingResponseWriter w = new RecordingResponseWriter();
        MUX.serve(w, r);
        assertEquals(c.status(), w.status(), () -> "status; body: " + w.bodyText());
        if (c.pattern() != null) {
            assertEquals("served by " + c.pattern(), w.bodyText());
            assertEquals(c.pattern(), r.pattern());
            c.expected().forEach((name, value) -> assertEquals(value, r.pathValue(name), "path value " + name));
        } else {
            assertNull(r.pattern(), "pattern set on a request the mux answered itself");
            c.expected().forEach((name, value) -> assertEquals(value, w.header(name), name));
        }
    }

    @Test
    void errorsAreShortPlainText() throws Exception {
        RecordingResponseWriter w = serve(MUX, "GET", "/nothing");
        assertEquals("404 page not found\n", w.bodyText());
        assertEquals("text/plain; charset=utf-8", w.header("Content-Type"));
        assertEquals("nosniff", w.header("X-Content-Type-Options"));

        w = serve(MUX, "POST", "/plaintext");
        assertEquals("Method Not Allowed\n", w.bodyText());
    }

    @Test
    void redirectsEscapeWhatALocationMayNotHold() throws Exception {
        RecordingResponseWriter w = serve(MUX, "GET", "/./\\evil.example/x");
        assertEquals(301, w.status());
        assertEquals("/%5Cevil.example/x", w.header("Location"));
        assertTrue(w.bodyText().contains("<a href=\"/%5Cevil.example/x\">Moved Permanently</a>"), w.bodyText());
    }

    @Test
    void catchAllLosesToEverythingMoreSpecificButStillRedirectsDirectories() throws Exception {
        ServeMux mux = muxOf(List.of("/", "/dir/", "GET /api/{x}"));
        assertEquals("served by /", serve(mux, "POST", "/anything/at/all").bodyText());
        assertEquals("served by /", serve(mux, "GET", "/").bodyText());
        assertEquals("served by /", serve(mux, "POST", "/api/1").bodyText());
        assertEquals("served by GET /api/{x}", serve(mux, "GET", "/api/1").bodyText());
        RecordingResponseWriter w = serve(mux, "GET", "/dir");
        assertEquals(301, w.status());
        assertEquals("/dir/", w.header("Location"));
    }

    @Test
    void connectPathsAreNotCleaned() throws Exception {
        ServeMux mux = muxOf(List.of("/a//b"));
        assertEquals("served by /a//b", serve(mux, "CONNECT", "/a//b").bodyText());
        assertEquals(301, serve(mux, "GET", "/a//b").status());
    }

    @Test
    void patternsRegisteredAfterServingStartedAreSeen() throws Exception {
        ServeMux mux = muxOf(List.of("GET /one"));
        assertEquals(404, serve(mux, "GET", "/two").status());
        mux.handle("GET /two", (w, r) -> w.write("two"));
        assertEquals("two", serve(mux, "GET", "/two").bodyText());
    }

    @Test
    void handlerExceptionsPropagateToTheServer() {
        ServeMux mux = new ServeMux();
        mux.handle("/boom", (w, r) -> {
            throw new IllegalStateException("boom");
        });
        assertThrows(IllegalStateException.class, () -> serve(mux, "GET", "/boom"));
    }

    /** Pairs that conflict, and the words Go's explanation uses for each. */
    static Stream<List<String>> conflicts() {
        return Stream.of(
                List.of("/a", "/a", "matches the same requests as"),
                List.of("GET /a/{x}", "GET /a/{y}", "matches the same requests as"),
                List.of("/a/{x...}", "/a/", "matches the same requests as"),
                List.of("/a/{x}", "/{y}/b", "both match some paths, like \"/a/b\""),
                List.of("/a/{x}/c", "/a/b/{y}", "both match some paths, like \"/a/b/c\""),
                List.of("GET /a/{x}", "/a/b", "/a/b matches more methods than GET /a/{x}, but has a more specific"),
                List.of("/a/b", "GET /a/{x}", "GET /a/{x} matches fewer methods than /a/b, but has a more general"),
                List.of("/{x}/b/", "/a/{y}/", "both match some paths, like \"/a/b/\""),
                List.of("host.example/", "host.example/", "matches the same requests as"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conflicts")
    void conflictingPatternsAreRefusedNamingBoth(List<String> c) {
        ServeMux mux = new ServeMux();
        mux.handle(c.get(0), (w, r) -> {});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mux.handle(c.get(1), (w, r) -> {}));
        String m = e.getMessage();
        assertTrue(m.startsWith("pattern \"" + c.get(1) + "\" (registered at "), m);
        assertTrue(m.contains("conflicts with pattern \"" + c.get(0) + "\" (registered at "), m);
        assertTrue(m.contains("ServeMuxTest.java:"), m);
        assertTrue(m.contains(c.get(2)), m);
    }

    @Test
    void overlapExplanationGivesAPathForEachSide() {
        ServeMux mux = new ServeMux();
        mux.handle("/a/{x}", (w, r) -> {});
        String m = assertThrows(IllegalArgumentException.class, () -> mux.handle("/{y}/b", (w, r) -> {}))
                .getMessage();
        assertTrue(m.endsWith("/{y}/b and /a/{x} both match some paths, like \"/a/b\".\n"
                + "But neither is more specific than the other.\n"
                + "/{y}/b matches \"/y/b\", but /a/{x} doesn't.\n"
                + "/a/{x} matches \"/a/x\", but /{y}/b doesn't."), m);
    }

    static Stream<List<String>> compatible() {
        return Stream.of(
                List.of("/a/{x}", "GET /a/b"),
                List.of("GET /a", "HEAD /a"),
                List.of("GET /a", "POST /a"),
                List.of("host.example/a", "/a"),
                List.of("/a/", "/a/{$}"),
                List.of("/{x}", "/{$}"),
                List.of("/{x}/", "/a/{y...}"),
                List.of("/{x}/{y...}", "/{a}/b/{c...}"),
                List.of("POST /a/{x}", "PUT /{y}/b"),
                List.of("/a/{$}", "/a/{x...}"),
                List.of("/", "GET /{$}"),
                List.of("/products/{id}", "/products/new"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compatible")
    void patternsWhereOneIsMoreSpecificCoexist(List<String> c) throws Exception {
        ServeMux mux = new ServeMux();
        mux.handle(c.get(0), (w, r) -> {});
        mux.handle(c.get(1), (w, r) -> {});
        ServeMux reversed = new ServeMux();
        reversed.handle(c.get(1), (w, r) -> {});
        reversed.handle(c.get(0), (w, r) -> {});
    }

    static Stream<List<String>> malformed() {
        return Stream.of(
                List.of("", "invalid pattern: empty"),
                List.of("A=B /", "at offset 0: invalid method \"A=B\""),
                List.of("a.example", "at offset 0: host/path missing /"),
                List.of("/{w}x", "at offset 1: bad wildcard segment (must end with '}')"),
                List.of("/x{w}", "at offset 1: bad wildcard segment (must start with '{')"),
                List.of("/{a$}", "at offset 1: bad wildcard name \"a$\""),
                List.of("/{1a}", "at offset 1: bad wildcard name \"1a\""),
                List.of("/{}", "at offset 1: empty wildcard"),
                List.of("/{...}", "at offset 1: empty wildcard"),
                List.of("/{$}/", "at offset 1: {$} not at end"),
                List.of("/{a...}/x", "at offset 1: {...} wildcard not at end"),
                List.of("/{x}/{x}", "at offset 5: duplicate wildcard name \"x\""),
                List.of("{a}/b", "at offset 0: host contains '{' (missing initial '/'?)"),
                List.of("GET /a/../b", "at offset 4: non-CONNECT pattern with unclean path can never match"),
                List.of("GET /a//b", "non-CONNECT pattern with unclean path can never match"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedPatternsAreRefused(List<String> c) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ServeMux().handle(c.get(0), (w, r) -> {}));
        assertTrue(e.getMessage().contains(c.get(1)), e.getMessage());
    }

    @Test
    void wellFormedPatternsParse() {
        for (String p : List.of("/", "/a/", "GET  /x", "GET\t/x", "CONNECT /a/../b", "/a//b", "/%61/{é}",
                "DELETE Example.COM/a/{foo12}/{$}", "/{a}/foo/{rest...}", "x.example:8080/")) {
            new ServeMux().handle(p, (w, r) -> {});
        }
        assertEquals("example.com", Pattern.parse("GET Example.COM/").host());
        assertEquals("a", Pattern.parse("/%61").segments()[0].text());
    }

    @Test
    void nullHandlerIsRefused() {
        assertThrows(NullPointerException.class, () -> new ServeMux().handle("/", null));
    }

    static RecordingResponseWriter serve(ServeMux mux, String method, String target) throws Exception {
        RecordingResponseWriter w = new RecordingResponseWriter();
        mux.serve(w, Request.newRequest(method, target));
        return w;
    }
}
