package dev.weft.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request router with the patterns of Go 1.22's {@code http.ServeMux}.
 *
 * <h2>Patterns</h2>
 * {@code [METHOD ][HOST]/[PATH]}, for example {@code GET /products/{id}}, {@code example.com/}, or
 * {@code POST /orders/{id}/items/{rest...}}:
 * <ul>
 *   <li>A method matches only requests with that method, except that {@code GET} also matches {@code HEAD}. Without
 *       a method a pattern matches every method.</li>
 *   <li>A host matches only requests for that host (the Host header or absolute-form authority, port removed,
 *       compared ignoring case). A pattern with a host takes precedence over one without.</li>
 *   <li>A path segment {@code {name}} matches any one non-empty segment; {@code {name...}} at the end matches the
 *       rest of the path; {@link Request#pathValue} returns what they matched, percent-decoded. A path ending in
 *       a slash matches every path below it; {@code {$}} at the end matches only the slash itself, so
 *       {@code /{$}} matches {@code /} alone. Literal segments are compared after percent-decoding.</li>
 * </ul>
 *
 * <h2>Precedence and conflicts</h2>
 * When several patterns match a request, the most specific wins: the one that matches a strict subset of the
 * others' requests ({@code /products/new} over {@code /products/{id}}; {@code GET /x} over {@code /x}). Two
 * patterns that both match some request without either being more specific (such as {@code /a/{x}} and
 * {@code /{y}/b}, or two identical patterns) conflict, and {@link #handle} refuses the second one with a message
 * naming both and a path each matches alone. So the winner never depends on registration order.
 *
 * <h2>What the mux answers itself</h2>
 * <ul>
 *   <li>A path that is not clean ({@code //}, {@code .} or {@code ..} segments) is redirected with 301 to its
 *       cleaned form, query kept, for every method but CONNECT.</li>
 *   <li>A path {@code /dir} that matches nothing exactly, while {@code /dir/} would, is redirected with 301 to
 *       {@code /dir/}.</li>
 *   <li>A path some pattern matches, but not for this method, gets 405 with an {@code Allow} header listing the
 *       methods that would match; a path no pattern matches gets 404.</li>
 *   <li>{@code OPTIONS *} gets 400, since no pattern can name it.</li>
 * </ul>
 * Before calling the handler the mux sets {@link Request#setPattern} to the pattern as registered (for metrics
 * and logs) and each wildcard's {@link Request#setPathValue}.
 *
 * <p>Patterns may be registered at any time, also while serving. Matching walks a segment tree built once after
 * the last registration: no regular expressions and no locks on the request path.
 */
public final class ServeMux implements Handler {
    private final List<Pattern> patterns = new ArrayList<>();
    private final List<Handler> handlers = new ArrayList<>();
    /** Where each pattern was registered: the registering thread's stack, read only for a conflict's message. */
    private final List<Throwable> origins = new ArrayList<>();
    /** The tree for the current registrations, or null until a request needs it after a change. */
    private volatile Router router;

    /** The routing tree, and whether the request's host must be looked at. */
    private record Router(RoutingNode root, boolean hasHosts) {}

    /**
     * Registers {@code handler} for {@code pattern}.
     *
     * @throws IllegalArgumentException when the pattern is malformed, or conflicts with one already registered
     *                                  (the message names both, where each was registered, and why)
     * @throws NullPointerException     when the handler is null
     */
    public void handle(String pattern, Handler handler) {
        if (handler == null) {
            throw new NullPointerException("nil handler for pattern \"" + pattern + "\"");
        }
        Pattern p = Pattern.parse(pattern);
        Throwable origin = new Throwable();
        synchronized (this) {
            for (int i = 0; i < patterns.size(); i++) {
                Pattern other = patterns.get(i);
                if (p.conflictsWith(other)) {
                    throw new IllegalArgumentException("pattern \"" + p + "\" (registered at " + caller(origin)
                            + ") conflicts with pattern \"" + other + "\" (registered at "
                            + caller(origins.get(i)) + "):\n" + p.describeConflict(other));
                }
            }
            patterns.add(p);
            handlers.add(handler);
            origins.add(origin);
            router = null;
        }
    }

    @Override
    public void serve(ResponseWriter w, Request r) throws Exception {
        if ("*".equals(r.target())) {
            if (!"HTTP/1.0".equals(r.protocol())) {
                w.headers().set("Connection", "close");
            }
            w.writeHeader(400);
            return;
        }
        Router t = router;
        if (t == null) {
            t = build();
        }
        String method = r.method();
        String path = r.path();
        String host = t.hasHosts ? hostWithoutPort(r.host()) : "";
        boolean connect = method.equals("CONNECT");
        if (path.isEmpty() || (connect && path.charAt(0) != '/')) {
            notFound(w);
            return;
        }
        // CONNECT targets are not cleaned, as in Go: a tunnel's path is not a file-system-like path.
        String clean = connect ? path : UrlPath.clean(path);
        RoutingNode found = t.root.match(host, method, clean);
        if (!RoutingNode.exactMatch(found, clean) && !clean.endsWith("/")) {
            String slashed = clean + "/";
            RoutingNode withSlash = t.root.match(host, method, slashed);
            if (RoutingNode.exactMatch(withSlash, slashed)) {
                Responses.redirect(w, location(slashed, r.rawQuery()), 301);
                return;
            }
        }
        if (!clean.equals(path)) {
            Responses.redirect(w, location(clean, r.rawQuery()), 301);
            return;
        }
        if (found == null) {
            Set<String> allowed = new TreeSet<>();
            t.root.allowedMethods(host, clean, allowed);
            if (!clean.endsWith("/")) {
                // The trailing-slash redirect would have applied for these methods.
                t.root.allowedMethods(host, clean + "/", allowed);
            }
            if (allowed.isEmpty()) {
                notFound(w);
            } else {
                w.headers().set("Allow", String.join(", ", allowed));
                error(w, 405, "Method Not Allowed");
            }
            return;
        }
        found.pattern.setPathValues(clean, r);
        r.setPattern(found.pattern.text());
        found.handler.serve(w, r);
    }

    private synchronized Router build() {
        Router t = router;
        if (t != null) {
            return t;
        }
        RoutingNode root = new RoutingNode();
        boolean hasHosts = false;
        for (int i = 0; i < patterns.size(); i++) {
            Pattern p = patterns.get(i);
            root.addPattern(p, handlers.get(i));
            hasHosts |= !p.host().isEmpty();
        }
        t = new Router(root, hasHosts);
        router = t;
        return t;
    }

    private static void notFound(ResponseWriter w) throws IOException {
        error(w, 404, "404 page not found");
    }

    /** A short plain-text error, as Go's {@code http.Error}. */
    private static void error(ResponseWriter w, int status, String message) throws IOException {
        w.headers().set("X-Content-Type-Options", "nosniff");
        Responses.text(w, status, message + "\n");
    }

    /** {@code path?query}, with anything a Location path may not hold percent-encoded. */
    private static String location(String path, String rawQuery) {
        String escaped = UrlPath.escapeForLocation(path);
        return rawQuery.isEmpty() ? escaped : escaped + "?" + rawQuery;
    }

    /** The host a pattern is matched against: lower case, without port; IPv6 brackets kept unless a port follows. */
    static String hostWithoutPort(String host) {
        if (host == null || host.isEmpty()) {
            return "";
        }
        String h = host;
        if (h.charAt(0) == '[') {
            int close = h.indexOf(']');
            if (close > 0 && close + 1 < h.length() && h.charAt(close + 1) == ':') {
                h = h.substring(1, close);
            }
        } else {
            int colon = h.indexOf(':');
            if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
                h = h.substring(0, colon);
            }
        }
        return h.toLowerCase(Locale.ROOT);
    }

    /**
     * Where {@link #handle} was called from, for conflict messages: the first frame outside this class of the stack
     * captured at registration. Capturing a Throwable's stack is cheap and formatting it happens only for a
     * conflict; a StackWalker with its stream and lambdas cost milliseconds at every service's start-up.
     */
    private static String caller(Throwable origin) {
        for (StackTraceElement f : origin.getStackTrace()) {
            if (!f.getClassName().equals(ServeMux.class.getName())) {
                return f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber()
                        + ")";
            }
        }
        return "unknown";
    }
}
