package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.weft.testkit.Seeds;

/**
 * Random pattern sets checked against a brute-force oracle: for each pattern, the set of requests it matches in a
 * small universe (a few methods, two hosts, every path up to four segments over a five-letter alphabet). The most
 * specific pattern is then the one whose set is a strict subset of every other matching pattern's set, which
 * needs none of the mux's own rules. Seeds are fixed so that a failure can be replayed; the message names it.
 */
class ServeMuxRandomizedTest {
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT"};
    private static final String[] HOSTS = {"h.example", "other.example"};
    /** Pattern literals come from the first three; "x" and "z" appear only in requests. */
    private static final String[] LETTERS = {"a", "b", "c", "x", "z"};
    private static final int MAX_DEPTH = 4;

    /** A request path: its segments, and whether it ends with a slash ("/" is no segments and a slash). */
    record ReqPath(List<String> segs, boolean trailing) {
        String text() {
            if (segs.isEmpty()) {
                return "/";
            }
            return "/" + String.join("/", segs) + (trailing ? "/" : "");
        }
    }

    enum End { NONE, SLASH, DOLLAR, REST }

    /** A generated pattern; {@code segs} holds literals and null for a single wildcard. */
    record Gen(String method, String host, List<String> segs, End end) {
        String text() {
            StringBuilder b = new StringBuilder();
            if (!method.isEmpty()) {
                b.append(method).append(' ');
            }
            b.append(host);
            for (int i = 0; i < segs.size(); i++) {
                b.append('/').append(segs.get(i) == null ? "{w" + i + "}" : segs.get(i));
            }
            switch (end) {
                case NONE -> { }
                case SLASH -> b.append('/');
                case DOLLAR -> b.append("/{$}");
                case REST -> b.append("/{rest...}");
            }
            return b.toString();
        }

        boolean matchesPath(ReqPath p) {
            int n = segs.size();
            if (p.segs().size() < n) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (segs.get(i) != null && !segs.get(i).equals(p.segs().get(i))) {
                    return false;
                }
            }
            return switch (end) {
                case NONE -> p.segs().size() == n && !p.trailing();
                case DOLLAR -> p.segs().size() == n && p.trailing();
                case SLASH, REST -> p.segs().size() > n || p.trailing();
            };
        }

        boolean matches(String m, String h, ReqPath p) {
            boolean methodOk = method.isEmpty() || method.equals(m) || (method.equals("GET") && m.equals("HEAD"));
            return methodOk && (host.isEmpty() || host.equals(h)) && matchesPath(p);
        }

        /** Nothing left over for a final multi wildcard. */
        boolean exact(ReqPath p) {
            return (end != End.SLASH && end != End.REST) || p.segs().size() == segs.size();
        }
    }

    private static final List<ReqPath> PATHS = allPaths();
    private static final int UNIVERSE = METHODS.length * HOSTS.length * PATHS.size();

    private static List<ReqPath> allPaths() {
        List<ReqPath> out = new ArrayList<>();
        List<List<String>> level = List.of(List.of());
        out.add(new ReqPath(List.of(), true));
        for (int depth = 1; depth <= MAX_DEPTH; depth++) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : level) {
                for (String l : LETTERS) {
                    List<String> segs = new ArrayList<>(prefix);
                    segs.add(l);
                    next.add(segs);
                    out.add(new ReqPath(segs, false));
                    out.add(new ReqPath(segs, true));
                }
            }
            level = next;
        }
        return out;
    }

    private static BitSet requestSet(Gen g) {
        BitSet set = new BitSet(UNIVERSE);
        int i = 0;
        for (String m : METHODS) {
            for (String h : HOSTS) {
                for (ReqPath p : PATHS) {
                    if (g.matches(m, h, p)) {
                        set.set(i);
                    }
                    i++;
                }
            }
        }
        return set;
    }

    private static Gen randomPattern(Random rnd) {
        String method = rnd.nextInt(3) == 0 ? "" : METHODS[rnd.nextInt(METHODS.length)];
        String host = rnd.nextInt(5) == 0 ? HOSTS[0] : "";
        int n = rnd.nextInt(4);
        List<String> segs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            segs.add(rnd.nextInt(3) == 0 ? null : LETTERS[rnd.nextInt(3)]);
        }
        End[] ends = n == 0 ? new End[] {End.SLASH, End.DOLLAR, End.REST} : End.values();
        return new Gen(method, host, segs, ends[rnd.nextInt(ends.length)]);
    }

    /** The oracle's winner for a request: host patterns first, then the one strictly inside all others. */
    private static Gen winner(List<Gen> gens, List<BitSet> sets, String m, String h, ReqPath p) {
        List<Integer> matching = new ArrayList<>();
        for (int i = 0; i < gens.size(); i++) {
            if (gens.get(i).matches(m, h, p)) {
                matching.add(i);
            }
        }
        if (matching.stream().anyMatch(i -> !gens.get(i).host().isEmpty())) {
            matching.removeIf(i -> gens.get(i).host().isEmpty());
        }
        for (int i : matching) {
            boolean inside = true;
            for (int j : matching) {
                if (i != j) {
                    BitSet a = sets.get(i);
                    BitSet diff = (BitSet) a.clone();
                    diff.andNot(sets.get(j));
                    inside &= diff.isEmpty() && !a.equals(sets.get(j));
                }
            }
            if (inside) {
                return gens.get(i);
            }
        }
        if (!matching.isEmpty()) {
            fail("registered patterns with no most specific one for " + m + " " + p.text() + ": "
                    + matching.stream().map(i -> gens.get(i).text()).toList());
        }
        return null;
    }

    /** What the mux must answer: "200 pattern", "301 location" or "405 methods" or "404". */
    private static String expected(List<Gen> gens, List<BitSet> sets, String m, String h, ReqPath p) {
        Gen w = winner(gens, sets, m, h, p);
        if ((w == null || !w.exact(p)) && !p.trailing()) {
            ReqPath slashed = new ReqPath(p.segs(), true);
            Gen ws = winner(gens, sets, m, h, slashed);
            if (ws != null && ws.exact(slashed)) {
                return "301 " + slashed.text();
            }
        }
        if (w != null) {
            return "200 " + w.text();
        }
        Set<String> allowed = new TreeSet<>();
        for (String other : METHODS) {
            for (Gen g : gens) {
                if (g.matches(other, h, p) || (!p.trailing() && g.matches(other, h, new ReqPath(p.segs(), true)))) {
                    allowed.add(other);
                }
            }
        }
        return allowed.isEmpty() ? "404" : "405 " + String.join(", ", allowed);
    }

    private static String actual(ServeMux mux, String m, String h, ReqPath p, Gen[] servedBy) throws Exception {
        Headers headers = new Headers();
        headers.set("Host", h);
        Request r = Request.newRequest(m, p.text(), headers, null);
        RecordingResponseWriter w = new RecordingResponseWriter();
        mux.serve(w, r);
        return switch (w.status()) {
            case 200 -> {
                Gen g = servedBy[0];
                // Path values: each wildcard took its segment, {rest...} the remainder.
                for (int i = 0; i < g.segs().size(); i++) {
                    if (g.segs().get(i) == null) {
                        assertEquals(p.segs().get(i), r.pathValue("w" + i), "w" + i);
                    }
                }
                if (g.end() == End.REST) {
                    List<String> rest = p.segs().subList(g.segs().size(), p.segs().size());
                    assertEquals(String.join("/", rest) + (p.trailing() && !rest.isEmpty() ? "/" : ""),
                            r.pathValue("rest"), "rest");
                }
                yield "200 " + r.pattern();
            }
            case 301 -> "301 " + w.header("Location");
            case 405 -> "405 " + w.header("Allow");
            default -> String.valueOf(w.status());
        };
    }

    @Test
    void randomPatternSetsRouteLikeTheOracle() throws Exception {
        long seed = Seeds.seed("ServeMuxRandomizedTest.randomPatternSetsRouteLikeTheOracle");
        Random rnd = new Random(seed);
        for (int round = 0; round < 40; round++) {
            List<Gen> gens = new ArrayList<>();
            ServeMux mux = new ServeMux();
            Gen[] servedBy = new Gen[1];
            for (int k = 0; k < 25; k++) {
                Gen g = randomPattern(rnd);
                try {
                    mux.handle(g.text(), (w, r) -> servedBy[0] = g);
                    gens.add(g);
                } catch (IllegalArgumentException conflict) {
                    assertTrue(conflict.getMessage().contains("conflicts with"), conflict.getMessage());
                }
            }
            List<BitSet> sets = gens.stream().map(ServeMuxRandomizedTest::requestSet).toList();

            // The same patterns in another order: all accepted, and every answer the same.
            List<Gen> shuffled = new ArrayList<>(gens);
            Collections.shuffle(shuffled, rnd);
            ServeMux other = new ServeMux();
            for (Gen g : shuffled) {
                other.handle(g.text(), (w, r) -> servedBy[0] = g);
            }

            for (int k = 0; k < 400; k++) {
                String m = METHODS[rnd.nextInt(METHODS.length)];
                String h = HOSTS[rnd.nextInt(HOSTS.length)];
                ReqPath p = PATHS.get(rnd.nextInt(PATHS.size()));
                String context = "seed " + seed + " round " + round + ", patterns "
                        + gens.stream().map(Gen::text).toList()
                        + ", request " + m + " " + h + p.text();
                String want = expected(gens, sets, m, h, p);
                assertEquals(want, actual(mux, m, h, p, servedBy), context);
                assertEquals(want, actual(other, m, h, p, servedBy), context + " (shuffled)");
            }
        }
    }

    @Test
    void conflictIsSymmetricAndMatchesTheOracle() {
        long seed = Seeds.seed("ServeMuxRandomizedTest.conflictIsSymmetricAndMatchesTheOracle");
        Random rnd = new Random(seed);
        for (int k = 0; k < 3000; k++) {
            Gen a = randomPattern(rnd);
            Gen b = randomPattern(rnd);
            Pattern pa = Pattern.parse(a.text());
            Pattern pb = Pattern.parse(b.text());
            assertEquals(pa.conflictsWith(pb), pb.conflictsWith(pa),
                    a.text() + " vs " + b.text() + ", seed " + seed);
            BitSet sa = requestSet(a);
            BitSet sb = requestSet(b);
            BitSet common = (BitSet) sa.clone();
            common.and(sb);
            BitSet onlyA = (BitSet) sa.clone();
            onlyA.andNot(sb);
            BitSet onlyB = (BitSet) sb.clone();
            onlyB.andNot(sa);
            // Conflict: they share requests, and neither set contains the other (or they are equal).
            boolean oracle = a.host().equals(b.host()) && !common.isEmpty()
                    && (onlyA.isEmpty() == onlyB.isEmpty());
            assertEquals(oracle, pa.conflictsWith(pb), a.text() + " vs " + b.text() + ", seed " + seed);
        }
    }

    @Test
    void cleaningAgreesWithFileSystemNormalisation() {
        long seed = Seeds.seed("ServeMuxRandomizedTest.cleaningAgreesWithFileSystemNormalisation");
        Random rnd = new Random(seed);
        String[] parts = {"a", "b", ".", "..", "", "c.d", "..."};
        for (int k = 0; k < 5000; k++) {
            StringBuilder b = new StringBuilder();
            int n = 1 + rnd.nextInt(6);
            for (int i = 0; i < n; i++) {
                b.append('/').append(parts[rnd.nextInt(parts.length)]);
            }
            if (rnd.nextBoolean()) {
                b.append('/');
            }
            String path = b.toString();
            String normal = Path.of(path).normalize().toString();
            String want = normal.equals("/") || !path.endsWith("/") ? normal : normal + "/";
            String got = UrlPath.clean(path);
            assertEquals(want, got, path + ", seed " + seed);
            assertEquals(got, UrlPath.clean(got), "clean is idempotent: " + path + ", seed " + seed);
            assertTrue(UrlPath.isClean(got), got + ", seed " + seed);
            assertEquals(path.equals(got), UrlPath.isClean(path), path + ", seed " + seed);
        }
    }
}
