package dev.weft.http;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A node of {@link ServeMux}'s routing tree, after Go's {@code routingNode}: the root's children are hosts, theirs
 * are methods, and below those each level is one path segment. At each level the empty key stands for "any"
 * (no host, no method, or a single wildcard); a path level also has a child for {@code {$}} and one for a final
 * multi wildcard.
 *
 * <p>Matching walks one segment at a time and tries, in order, the literal child, the single wildcard, then the
 * multi wildcard. Because registration refuses conflicting patterns, the first pattern found this way is the most
 * specific one that matches, so there is no scoring and no regular expression: a lookup compares each segment
 * against a few keys in place, without copying it. A built tree is only read, so any number of threads may match
 * against it at once.
 */
final class RoutingNode {
    /** Beyond this many literal children, a hash map replaces the linear scan. */
    private static final int LINEAR_LIMIT = 8;
    private static final String[] NO_KEYS = {};
    private static final RoutingNode[] NO_NODES = {};

    /** The pattern that ends at this node, or null for an interior node. */
    Pattern pattern;
    Handler handler;

    private String[] keys = NO_KEYS;
    private RoutingNode[] children = NO_NODES;
    private Map<String, RoutingNode> index;
    private RoutingNode emptyChild;
    private RoutingNode endChild;
    private RoutingNode multiChild;

    /** Adds {@code p} below this root; the caller has checked that it conflicts with nothing already here. */
    void addPattern(Pattern p, Handler h) {
        RoutingNode n = addChild(p.host()).addChild(p.method());
        for (Pattern.Segment s : p.segments()) {
            n = switch (s.kind()) {
                case LITERAL -> n.addLiteral(s.text());
                case WILDCARD -> n.addChild("");
                case END -> n.endChild == null ? n.endChild = new RoutingNode() : n.endChild;
                case MULTI -> n.multiChild == null ? n.multiChild = new RoutingNode() : n.multiChild;
            };
        }
        n.pattern = p;
        n.handler = h;
    }

    /** The child for a host or method: {@code key}, or the "any" child when {@code key} is empty. */
    private RoutingNode addChild(String key) {
        if (key.isEmpty()) {
            if (emptyChild == null) {
                emptyChild = new RoutingNode();
            }
            return emptyChild;
        }
        return addLiteral(key);
    }

    private RoutingNode addLiteral(String key) {
        RoutingNode found = findLiteral(key);
        if (found != null) {
            return found;
        }
        RoutingNode child = new RoutingNode();
        int n = keys.length;
        keys = Arrays.copyOf(keys, n + 1);
        children = Arrays.copyOf(children, n + 1);
        keys[n] = key;
        children[n] = child;
        if (n + 1 > LINEAR_LIMIT) {
            if (index == null) {
                index = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    index.put(keys[i], children[i]);
                }
            }
            index.put(key, child);
        }
        return child;
    }

    private RoutingNode findLiteral(String key) {
        if (index != null) {
            return index.get(key);
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return children[i];
            }
        }
        return null;
    }

    /** The literal child whose key equals {@code s[from, to)}, found without copying the region when few. */
    private RoutingNode findLiteral(String s, int from, int to) {
        if (index != null) {
            return index.get(s.substring(from, to));
        }
        int len = to - from;
        for (int i = 0; i < keys.length; i++) {
            String k = keys[i];
            if (k.length() == len && s.regionMatches(from, k, 0, len)) {
                return children[i];
            }
        }
        return null;
    }

    /**
     * The node of the most specific pattern matching the request, or null. {@code host} is empty when the mux has
     * no host patterns. A pattern with the request's host beats any without one; an exact method beats
     * GET-for-HEAD, which beats a pattern without a method. Wildcard values are not collected here: the matched
     * pattern reads them afterwards ({@link Pattern#setPathValues}), so that a route without wildcards allocates
     * nothing.
     */
    RoutingNode match(String host, String method, String path) {
        if (!host.isEmpty()) {
            RoutingNode h = findLiteral(host);
            RoutingNode found = h == null ? null : h.matchMethodAndPath(method, path);
            if (found != null) {
                return found;
            }
        }
        return emptyChild == null ? null : emptyChild.matchMethodAndPath(method, path);
    }

    private RoutingNode matchMethodAndPath(String method, String path) {
        RoutingNode m = findLiteral(method);
        RoutingNode found = m == null ? null : m.matchPath(path, 0);
        if (found != null) {
            return found;
        }
        if (method.equals("HEAD")) {
            m = findLiteral("GET");
            found = m == null ? null : m.matchPath(path, 0);
            if (found != null) {
                return found;
            }
        }
        return emptyChild == null ? null : emptyChild.matchPath(path, 0);
    }

    /** Matches {@code path[pos..]}, which is empty or starts with a slash, against the subtree below this node. */
    private RoutingNode matchPath(String path, int pos) {
        int n = path.length();
        if (pos >= n) {
            return pattern != null ? this : null;
        }
        if (pos == n - 1) {
            // Only the trailing slash is left: {$} takes it; a single wildcard does not.
            if (endChild != null) {
                RoutingNode found = endChild.matchPath(path, n);
                if (found != null) {
                    return found;
                }
            }
        } else {
            int start = pos + 1;
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            if (keys.length > 0) {
                int percent = path.indexOf('%', start);
                RoutingNode literal = percent >= 0 && percent < end
                        ? findLiteral(UrlPath.unescape(path, start, end))
                        : findLiteral(path, start, end);
                RoutingNode found = literal == null ? null : literal.matchPath(path, end);
                if (found != null) {
                    return found;
                }
            }
            if (emptyChild != null) {
                RoutingNode found = emptyChild.matchPath(path, end);
                if (found != null) {
                    return found;
                }
            }
        }
        if (multiChild != null) {
            return multiChild;
        }
        return null;
    }

    /**
     * Adds to {@code methods} every method for which some pattern with {@code host} (if not empty) or with no host
     * matches {@code path}: the {@code Allow} list of a 405. GET brings HEAD along.
     */
    void allowedMethods(String host, String path, Set<String> methods) {
        if (!host.isEmpty()) {
            RoutingNode h = findLiteral(host);
            if (h != null) {
                h.methodsMatchingPath(path, methods);
            }
        }
        if (emptyChild != null) {
            emptyChild.methodsMatchingPath(path, methods);
        }
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
    }

    private void methodsMatchingPath(String path, Set<String> methods) {
        // Patterns without a method would have matched already; only named methods can be missing.
        for (int i = 0; i < keys.length; i++) {
            if (children[i].matchPath(path, 0) != null) {
                methods.add(keys[i]);
            }
        }
    }

    /**
     * True when this node's pattern matches {@code path} exactly: with nothing left over for a final multi
     * wildcard. {@code /a/b/{$}} and {@code /a/b/{rest...}} exactly match {@code /a/b/}; {@code /a/} does not.
     */
    static boolean exactMatch(RoutingNode n, String path) {
        if (n == null) {
            return false;
        }
        if (!n.pattern.lastSegment().multi()) {
            return true;
        }
        if (!path.isEmpty() && path.charAt(path.length() - 1) != '/') {
            return false;
        }
        int slashes = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                slashes++;
            }
        }
        return n.pattern.segments().length == slashes;
    }
}
