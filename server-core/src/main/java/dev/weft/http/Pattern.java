package dev.weft.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed {@link ServeMux} pattern, {@code [METHOD ][HOST]/[PATH]}, with Go 1.22's syntax and precedence rules.
 *
 * <p>The path is a list of segments: literals (stored unescaped), single wildcards {@code {name}}, a final multi
 * wildcard {@code {name...}} (or the anonymous one a trailing slash stands for), and {@code {$}}, which matches
 * only the trailing slash. Two patterns relate as {@link Relationship}: the mux keeps the more specific of two
 * overlapping patterns, and refuses two that overlap with neither more specific (a conflict).
 */
final class Pattern {
    /** How the requests matched by one pattern relate to those matched by another. */
    enum Relationship {
        /** Both match exactly the same requests. */
        EQUIVALENT,
        /** This matches a strict subset of the other's requests. */
        MORE_SPECIFIC,
        /** This matches a strict superset of the other's requests. */
        MORE_GENERAL,
        /** Some requests match both, some only one, some only the other. */
        OVERLAPS,
        /** No request matches both. */
        DISJOINT;

        Relationship inverse() {
            return switch (this) {
                case MORE_SPECIFIC -> MORE_GENERAL;
                case MORE_GENERAL -> MORE_SPECIFIC;
                default -> this;
            };
        }

        /** The relationship of two patterns whose parts relate as {@code this} and {@code other}. */
        Relationship combine(Relationship other) {
            return switch (this) {
                case EQUIVALENT -> other;
                case DISJOINT -> DISJOINT;
                case OVERLAPS -> other == DISJOINT ? DISJOINT : OVERLAPS;
                case MORE_GENERAL, MORE_SPECIFIC -> {
                    if (other == EQUIVALENT) {
                        yield this;
                    }
                    yield other == inverse() ? OVERLAPS : other;
                }
            };
        }
    }

    /** What one path segment of a pattern matches. */
    enum Kind {
        /** Exactly the text {@link Segment#text}. */
        LITERAL,
        /** Any one segment, captured under the name {@link Segment#text}. */
        WILDCARD,
        /** The rest of the path, captured under {@link Segment#text} unless it is empty (a trailing slash). */
        MULTI,
        /** Only the trailing slash: {@code {$}}. */
        END
    }

    /** One segment of a pattern's path. */
    record Segment(Kind kind, String text) {
        boolean multi() {
            return kind == Kind.MULTI;
        }

        boolean wild() {
            return kind == Kind.WILDCARD || kind == Kind.MULTI;
        }
    }

    private final String text;
    private final String method;
    private final String host;
    private final Segment[] segments;
    /** True when some wildcard has a name, so that a match sets path values. */
    private final boolean capturing;

    private Pattern(String text, String method, String host, List<Segment> segments) {
        this.text = text;
        this.method = method;
        this.host = host;
        this.segments = segments.toArray(new Segment[0]);
        boolean named = false;
        for (Segment s : this.segments) {
            named |= s.wild() && !s.text().isEmpty();
        }
        this.capturing = named;
    }

    /**
     * Parses {@code text} as Go's {@code net/http} does.
     *
     * @throws IllegalArgumentException naming the offset and the fault, when the pattern is malformed
     */
    static Pattern parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("invalid pattern: empty");
        }
        int offset = 0;
        try {
            String method = "";
            String rest = text;
            int space = indexOfSpaceOrTab(text);
            if (space >= 0) {
                method = text.substring(0, space);
                rest = trimLeadingBlanks(text.substring(space + 1));
                if (!method.isEmpty() && !isToken(method)) {
                    throw new PatternSyntax("invalid method \"" + method + "\"");
                }
                offset = text.length() - rest.length();
            }
            int slash = rest.indexOf('/');
            if (slash < 0) {
                throw new PatternSyntax("host/path missing /");
            }
            // Host names are case-insensitive; the mux lower-cases the request's host too.
            String host = rest.substring(0, slash).toLowerCase(Locale.ROOT);
            int brace = host.indexOf('{');
            if (brace >= 0) {
                offset += brace;
                throw new PatternSyntax("host contains '{' (missing initial '/'?)");
            }
            offset += slash;
            String path = rest.substring(slash);
            // Request paths are cleaned before matching (CONNECT excepted), so such a pattern could never match.
            if (!method.isEmpty() && !method.equals("CONNECT") && !UrlPath.clean(path).equals(path)) {
                throw new PatternSyntax("non-CONNECT pattern with unclean path can never match");
            }
            List<Segment> segments = new ArrayList<>();
            Set<String> names = new HashSet<>();
            while (!path.isEmpty()) {
                path = path.substring(1);
                offset = text.length() - path.length();
                if (path.isEmpty()) {
                    segments.add(new Segment(Kind.MULTI, ""));
                    break;
                }
                int end = path.indexOf('/');
                if (end < 0) {
                    end = path.length();
                }
                String seg = path.substring(0, end);
                path = path.substring(end);
                int open = seg.indexOf('{');
                if (open < 0) {
                    segments.add(new Segment(Kind.LITERAL, UrlPath.unescape(seg)));
                    continue;
                }
                if (open != 0) {
                    throw new PatternSyntax("bad wildcard segment (must start with '{')");
                }
                if (seg.charAt(seg.length() - 1) != '}') {
                    throw new PatternSyntax("bad wildcard segment (must end with '}')");
                }
                String name = seg.substring(1, seg.length() - 1);
                if (name.equals("$")) {
                    if (!path.isEmpty()) {
                        throw new PatternSyntax("{$} not at end");
                    }
                    segments.add(new Segment(Kind.END, "/"));
                    break;
                }
                boolean multi = name.endsWith("...");
                if (multi) {
                    name = name.substring(0, name.length() - 3);
                    if (!path.isEmpty()) {
                        throw new PatternSyntax("{...} wildcard not at end");
                    }
                }
                if (name.isEmpty()) {
                    throw new PatternSyntax("empty wildcard");
                }
                if (!isIdentifier(name)) {
                    throw new PatternSyntax("bad wildcard name \"" + name + "\"");
                }
                if (!names.add(name)) {
                    throw new PatternSyntax("duplicate wildcard name \"" + name + "\"");
                }
                segments.add(new Segment(multi ? Kind.MULTI : Kind.WILDCARD, name));
            }
            return new Pattern(text, method, host, segments);
        } catch (PatternSyntax e) {
            throw new IllegalArgumentException(
                    "invalid pattern \"" + text + "\": at offset " + offset + ": " + e.getMessage());
        }
    }

    /** The pattern as registered. */
    String text() {
        return text;
    }

    /** The method, or empty for any method. */
    String method() {
        return method;
    }

    /** The host, or empty for any host. */
    String host() {
        return host;
    }

    Segment[] segments() {
        return segments;
    }

    Segment lastSegment() {
        return segments[segments.length - 1];
    }

    /**
     * Sets on {@code r} the value of each named wildcard, percent-decoded, for {@code path}, which this pattern
     * matched: its segments line up one for one with the path's, a final multi wildcard taking the rest.
     */
    void setPathValues(String path, Request r) {
        if (!capturing) {
            return;
        }
        int pos = 0; // at the slash before the current segment
        for (Segment s : segments) {
            int start = pos + 1;
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            switch (s.kind()) {
                case LITERAL -> pos = end;
                case WILDCARD -> {
                    r.setPathValue(s.text(), UrlPath.unescape(path, start, end));
                    pos = end;
                }
                case MULTI -> {
                    if (!s.text().isEmpty()) {
                        r.setPathValue(s.text(), UrlPath.unescape(path, start, path.length()));
                    }
                    return;
                }
                case END -> {
                    return;
                }
            }
        }
    }

    /**
     * True when both patterns could match some request and neither is more specific: registering both would
     * leave such a request without a winner. Patterns with different hosts never conflict (one with a host beats
     * one without, and two different hosts match different requests).
     */
    boolean conflictsWith(Pattern other) {
        if (!host.equals(other.host)) {
            return false;
        }
        Relationship r = comparePathsAndMethods(other);
        return r == Relationship.EQUIVALENT || r == Relationship.OVERLAPS;
    }

    Relationship comparePathsAndMethods(Pattern other) {
        Relationship methods = compareMethods(other);
        if (methods == Relationship.DISJOINT) {
            return methods;
        }
        return methods.combine(comparePaths(other));
    }

    Relationship compareMethods(Pattern other) {
        if (method.equals(other.method)) {
            return Relationship.EQUIVALENT;
        }
        if (method.isEmpty()) {
            return Relationship.MORE_GENERAL;
        }
        if (other.method.isEmpty()) {
            return Relationship.MORE_SPECIFIC;
        }
        // GET matches HEAD too.
        if (method.equals("GET") && other.method.equals("HEAD")) {
            return Relationship.MORE_GENERAL;
        }
        if (method.equals("HEAD") && other.method.equals("GET")) {
            return Relationship.MORE_SPECIFIC;
        }
        return Relationship.DISJOINT;
    }

    Relationship comparePaths(Pattern other) {
        Segment[] a = segments;
        Segment[] b = other.segments;
        // Without a final multi wildcard, a pattern matches only paths of its own length.
        if (a.length != b.length && !lastSegment().multi() && !other.lastSegment().multi()) {
            return Relationship.DISJOINT;
        }
        Relationship r = Relationship.EQUIVALENT;
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            r = r.combine(compareSegments(a[i], b[i]));
            if (r == Relationship.DISJOINT) {
                return r;
            }
        }
        if (a.length == b.length) {
            return r;
        }
        // The shorter pattern can only still match if it ends in a multi wildcard, which makes it more general.
        if (a.length < b.length && lastSegment().multi()) {
            return r.combine(Relationship.MORE_GENERAL);
        }
        if (b.length < a.length && other.lastSegment().multi()) {
            return r.combine(Relationship.MORE_SPECIFIC);
        }
        return Relationship.DISJOINT;
    }

    private static Relationship compareSegments(Segment s1, Segment s2) {
        if (s1.multi() && s2.multi()) {
            return Relationship.EQUIVALENT;
        }
        if (s1.multi()) {
            return Relationship.MORE_GENERAL;
        }
        if (s2.multi()) {
            return Relationship.MORE_SPECIFIC;
        }
        if (s1.wild() && s2.wild()) {
            return Relationship.EQUIVALENT;
        }
        if (s1.wild()) {
            // A single wildcard does not match the trailing slash of {$}.
            return s2.kind() == Kind.END ? Relationship.DISJOINT : Relationship.MORE_GENERAL;
        }
        if (s2.wild()) {
            return s1.kind() == Kind.END ? Relationship.DISJOINT : Relationship.MORE_SPECIFIC;
        }
        return s1.kind() == s2.kind() && s1.text().equals(s2.text()) ? Relationship.EQUIVALENT
                : Relationship.DISJOINT;
    }

    /** Says why two conflicting patterns conflict, with example paths, as Go's ServeMux does. */
    String describeConflict(Pattern other) {
        Relationship methods = compareMethods(other);
        Relationship paths = comparePaths(other);
        Relationship r = methods.combine(paths);
        if (r == Relationship.EQUIVALENT) {
            return text + " matches the same requests as " + other.text;
        }
        if (paths == Relationship.OVERLAPS) {
            return text + " and " + other.text + " both match some paths, like \"" + commonPath(other) + "\".\n"
                    + "But neither is more specific than the other.\n"
                    + text + " matches \"" + differencePath(other) + "\", but " + other.text + " doesn't.\n"
                    + other.text + " matches \"" + other.differencePath(this) + "\", but " + text + " doesn't.";
        }
        if (methods == Relationship.MORE_GENERAL && paths == Relationship.MORE_SPECIFIC) {
            return text + " matches more methods than " + other.text + ", but has a more specific path pattern";
        }
        return text + " matches fewer methods than " + other.text + ", but has a more general path pattern";
    }

    /** A path both patterns match; they must overlap. */
    private String commonPath(Pattern other) {
        StringBuilder b = new StringBuilder();
        int n = Math.min(segments.length, other.segments.length);
        for (int i = 0; i < n; i++) {
            writeSegment(b, segments[i].wild() ? other.segments[i] : segments[i]);
        }
        writeRest(b, segments, n);
        writeRest(b, other.segments, n);
        return b.toString();
    }

    /** A path this pattern matches and {@code other} does not; there must be one. */
    private String differencePath(Pattern other) {
        StringBuilder b = new StringBuilder();
        int n = Math.min(segments.length, other.segments.length);
        for (int i = 0; i < n; i++) {
            Segment s1 = segments[i];
            Segment s2 = other.segments[i];
            if (s1.multi() && s2.multi()) {
                // From here on both match the same paths, so the difference lies before.
                return b.append('/').toString();
            }
            if (s1.multi()) {
                // A trailing slash tells them apart, unless s2 is {$}: then any segment does.
                b.append('/');
                if (s2.kind() == Kind.END) {
                    b.append(s1.text().isEmpty() ? "x" : s1.text());
                }
                return b.toString();
            }
            if (s1.kind() == Kind.WILDCARD && s2.kind() == Kind.LITERAL && s1.text().equals(s2.text())) {
                b.append('/').append(s2.text()).append('x');
            } else {
                writeSegment(b, s1);
            }
        }
        writeRest(b, segments, n);
        writeRest(b, other.segments, n);
        return b.toString();
    }

    private static void writeRest(StringBuilder b, Segment[] segments, int from) {
        for (int i = from; i < segments.length; i++) {
            writeSegment(b, segments[i]);
        }
    }

    private static void writeSegment(StringBuilder b, Segment s) {
        b.append('/');
        if (!s.multi() && s.kind() != Kind.END) {
            b.append(s.text());
        }
    }

    @Override
    public String toString() {
        return text;
    }

    private static int indexOfSpaceOrTab(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                return i;
            }
        }
        return -1;
    }

    private static String trimLeadingBlanks(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return s.substring(i);
    }

    /** An RFC 9110 token: what a method may be. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A Go identifier, as wildcard names must be. */
    private static boolean isIdentifier(String s) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            boolean ok = c == '_' || Character.isLetter(c) || (i > 0 && Character.isDigit(c));
            if (!ok) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /** A syntax fault, reported with the pattern and offset by {@link #parse}. */
    private static final class PatternSyntax extends RuntimeException {
        PatternSyntax(String message) {
            super(message, null, false, false);
        }
    }
}
