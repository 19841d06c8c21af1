package dev.weft.http.codec;

import java.nio.charset.StandardCharsets;

import dev.weft.http.Headers;

/**
 * Parses a request line and header section (RFC 9112 sections 2 to 6) from bytes, strictly: a pure function of its
 * input, no I/O, so that every rule can be tested and fuzzed without sockets.
 *
 * <p>Refused with 400: a malformed request line, a line not ended by CRLF, obs-fold, whitespace before a colon,
 * control characters, a missing (HTTP/1.1) or duplicate Host, a malformed or differing duplicate Content-Length,
 * Content-Length together with Transfer-Encoding, Transfer-Encoding in HTTP/1.0, chunked not being the final coding.
 * 414 for a request line longer than the limit, 431 for a header section larger than its limit, 501 for a transfer
 * coding other than chunked and for CONNECT, 505 for an HTTP version other than 1.0 and 1.1, 417 for an expectation
 * other than {@code 100-continue}.
 *
 * <p>Speed: the parser walks the bytes once per call, matches well-known header names and methods against
 * constants without allocating, and remembers the last value of each well-known header and the last target, so that
 * the repeated requests of a keep-alive connection reuse the same Strings. An instance belongs to one connection.
 */
public final class RequestHeadParser {
    /** Returned when the bytes end before the head does. */
    public static final int INCOMPLETE = -1;
    public static final String HTTP_1_1 = "HTTP/1.1";
    public static final String HTTP_1_0 = "HTTP/1.0";

    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    /** Methods returned as these constants, so that {@code ==} and switches on them are cheap. */
    private static final String[] METHODS = {"GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
        "CONNECT"};

    private static final int HOST = 0;
    private static final int CONTENT_LENGTH = 1;
    private static final int TRANSFER_ENCODING = 2;
    private static final int CONNECTION = 3;
    private static final int EXPECT = 4;
    /** Well-known field names; the first five are the ones the parser interprets, in the order of the constants. */
    private static final String[] KNOWN = {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Expect",
        "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Accept-Charset", "Content-Type", "Cookie",
        "Authorization", "Cache-Control", "Pragma", "Origin", "Referer", "If-None-Match", "If-Modified-Since",
        "If-Match", "Range", "Upgrade", "TE", "Trailer", "Keep-Alive", "Content-Encoding", "X-Forwarded-For",
        "X-Forwarded-Proto", "X-Forwarded-Host", "X-Real-IP", "X-Request-Id", "Traceparent", "DNT",
        "Upgrade-Insecure-Requests", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-Dest", "Sec-Fetch-User",
    };
    private static final byte[][] KNOWN_LOWER = new byte[KNOWN.length][];
    private static final int[][] KNOWN_BY_LENGTH;

    static {
        int max = 0;
        for (int i = 0; i < KNOWN.length; i++) {
            KNOWN_LOWER[i] = KNOWN[i].toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            max = Math.max(max, KNOWN[i].length());
        }
        KNOWN_BY_LENGTH = new int[max + 1][];
        for (int len = 0; len <= max; len++) {
            int count = 0;
            for (String k : KNOWN) {
                if (k.length() == len) {
                    count++;
                }
            }
            int[] ids = new int[count];
            int j = 0;
            for (int i = 0; i < KNOWN.length; i++) {
                if (KNOWN[i].length() == len) {
                    ids[j++] = i;
                }
            }
            KNOWN_BY_LENGTH[len] = ids;
        }
    }

    private final int maxRequestLineBytes;
    private final int maxHeaderBytes;
    private final String[] lastValue = new String[KNOWN.length];
    private String lastTarget;

    // per-parse state of the framing headers
    private int hostCount;
    private boolean transferEncoding;
    private boolean chunkedFinal;
    private boolean unsupportedCoding;
    private boolean connectionClose;
    private boolean connectionKeepAlive;

    /**
     * @param maxRequestLineBytes the longest request line, CRLF excluded (414 beyond)
     * @param maxHeaderBytes      the largest header section, final CRLF included (431 beyond)
     */
    public RequestHeadParser(int maxRequestLineBytes, int maxHeaderBytes) {
        this.maxRequestLineBytes = maxRequestLineBytes;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /**
     * Parses the request head in {@code buf[from, to)} into {@code head}. Returns the index just after the blank line
     * that ends the head, or {@link #INCOMPLETE} when more bytes are needed (and the limits are not exceeded yet).
     * Empty lines before the request line are skipped, as RFC 9112 section 2.2 advises.
     *
     * @throws ParseException with the status to answer when the head is malformed or too large
     */
    public int parse(byte[] buf, int from, int to, RequestHead head) throws ParseException {
        head.reset();
        int p = from;
        while (p + 1 < to && buf[p] == '\r' && buf[p + 1] == '\n') {
            p += 2;
            if (p - from > maxRequestLineBytes) {
                throw new ParseException(400, "too many empty lines before the request line");
            }
        }
        int lineLimit = (int) Math.min(to, (long) p + maxRequestLineBytes + 2);
        int lf = indexOf(buf, p, lineLimit, (byte) '\n');
        if (lf < 0) {
            if (to - p > maxRequestLineBytes + 1) {
                throw new ParseException(414, "request line longer than " + maxRequestLineBytes + " bytes");
            }
            checkRequestLinePrefix(buf, p, to);
            return INCOMPLETE;
        }
        if (lf == p || buf[lf - 1] != '\r') {
            throw new ParseException(400, "request line not ended by CRLF");
        }
        int cr = lf - 1;
        if (cr - p > maxRequestLineBytes) {
            throw new ParseException(414, "request line longer than " + maxRequestLineBytes + " bytes");
        }
        parseRequestLine(buf, p, cr, head);

        hostCount = 0;
        transferEncoding = false;
        chunkedFinal = false;
        unsupportedCoding = false;
        connectionClose = false;
        connectionKeepAlive = false;
        int end = parseFields(buf, lf + 1, to, maxHeaderBytes, head.headers, head);
        if (end == INCOMPLETE) {
            return INCOMPLETE;
        }
        checkFraming(head);
        return end;
    }

    /**
     * Parses the trailer section of a chunked body (the field lines after the last chunk, then CRLF) into
     * {@code trailers} (cleared first), with the same rules as header fields. Returns the index after the final CRLF, or
     * {@link #INCOMPLETE}.
     */
    public int parseTrailers(byte[] buf, int from, int to, Headers trailers) throws ParseException {
        trailers.clear();
        return parseFields(buf, from, to, maxHeaderBytes, trailers, null);
    }

    private void parseRequestLine(byte[] buf, int p, int cr, RequestHead head) throws ParseException {
        int m = p;
        while (m < cr && TCHAR[buf[m] & 0xFF]) {
            m++;
        }
        if (m == p || m == cr || buf[m] != ' ') {
            throw new ParseException(400, "malformed request line: bad method");
        }
        head.method = method(buf, p, m);
        int t = m + 1;
        int te = t;
        while (te < cr && buf[te] > 0x20 && buf[te] < 0x7F) {
            te++;
        }
        if (te == t || te == cr || buf[te] != ' ') {
            throw new ParseException(400, "malformed request line: bad request target");
        }
        int v = te + 1;
        if (cr - v != 8 || buf[v] != 'H' || buf[v + 1] != 'T' || buf[v + 2] != 'T' || buf[v + 3] != 'P'
                || buf[v + 4] != '/' || !digit(buf[v + 5]) || buf[v + 6] != '.' || !digit(buf[v + 7])) {
            throw new ParseException(400, "malformed request line: bad HTTP version");
        }
        if (buf[v + 5] == '1' && buf[v + 7] == '1') {
            head.version = HTTP_1_1;
        } else if (buf[v + 5] == '1' && buf[v + 7] == '0') {
            head.version = HTTP_1_0;
        } else {
            throw new ParseException(505, "HTTP version " + (char) buf[v + 5] + "." + (char) buf[v + 7]
                    + " is not supported");
        }
        if (head.method == "CONNECT") {
            throw new ParseException(501, "CONNECT is not supported");
        }
        byte first = buf[t];
        if (first == '*') {
            if (te - t != 1 || head.method != "OPTIONS") {
                throw new ParseException(400, "asterisk-form target is only allowed with OPTIONS");
            }
        } else if (first != '/') {
            int authority = schemeEnd(buf, t, te);
            if (authority < 0 || authority == te || buf[authority] == '/') {
                throw new ParseException(400, "malformed request target");
            }
        }
        head.target = target(buf, t, te);
    }

    /** The index after {@code http://} or {@code https://} (any case) at {@code t}, or -1. */
    private static int schemeEnd(byte[] buf, int t, int end) {
        int n = end - t;
        if (n > 7 && lowerEquals(buf, t, "http://")) {
            return t + 7;
        }
        if (n > 8 && lowerEquals(buf, t, "https://")) {
            return t + 8;
        }
        return -1;
    }

    private static boolean lowerEquals(byte[] buf, int at, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            if ((buf[at + i] | 0x20) != lower.charAt(i) && buf[at + i] != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Refuses an incomplete request line early when what has arrived already cannot start a valid one. */
    private static void checkRequestLinePrefix(byte[] buf, int p, int to) throws ParseException {
        int m = p;
        while (m < to && TCHAR[buf[m] & 0xFF]) {
            m++;
        }
        if (m < to && buf[m] != ' ' && buf[m] != '\r') {
            throw new ParseException(400, "malformed request line: bad method");
        }
    }

    private int parseFields(byte[] buf, int start, int to, int maxBytes, Headers into, RequestHead head)
            throws ParseException {
        int limit = (int) Math.min(to, (long) start + maxBytes);
        int p = start;
        while (true) {
            if (p >= to) {
                return incompleteFields(start, to, maxBytes);
            }
            byte b = buf[p];
            if (b == '\r') {
                if (p + 1 >= to) {
                    return incompleteFields(start, to, maxBytes);
                }
                if (buf[p + 1] != '\n') {
                    throw new ParseException(400, "header section not ended by CRLF");
                }
                if (p + 2 - start > maxBytes) {
                    throw new ParseException(431, "header section larger than " + maxBytes + " bytes");
                }
                return p + 2;
            }
            if (b == ' ' || b == '\t') {
                throw new ParseException(400, "obsolete line folding in header section");
            }
            int lf = indexOf(buf, p, limit, (byte) '\n');
            if (lf < 0) {
                checkFieldPrefix(buf, p, limit);
                return incompleteFields(start, to, maxBytes);
            }
            parseField(buf, p, lf, into, head);
            p = lf + 1;
        }
    }

    private static int incompleteFields(int start, int to, int maxBytes) throws ParseException {
        if (to - start >= maxBytes) {
            throw new ParseException(431, "header section larger than " + maxBytes + " bytes");
        }
        return INCOMPLETE;
    }

    /** Refuses a partial field line whose name is already malformed. */
    private static void checkFieldPrefix(byte[] buf, int p, int to) throws ParseException {
        int n = p;
        while (n < to && TCHAR[buf[n] & 0xFF]) {
            n++;
        }
        if (n < to && buf[n] != ':') {
            throw nameError(buf[n]);
        }
    }

    private static ParseException nameError(byte c) {
        if (c == ' ' || c == '\t') {
            return new ParseException(400, "whitespace before the colon of a header field");
        }
        if (c == '\r' || c == '\n') {
            return new ParseException(400, "header line without a colon");
        }
        return new ParseException(400, "invalid character in a header field name");
    }

    private void parseField(byte[] buf, int p, int lf, Headers into, RequestHead head) throws ParseException {
        int cr = lf - 1;
        if (buf[cr] != '\r') {
            throw new ParseException(400, "header line not ended by CRLF");
        }
        int n = p;
        while (n < cr && TCHAR[buf[n] & 0xFF]) {
            n++;
        }
        if (n == cr || buf[n] != ':') {
            throw nameError(buf[n]);
        }
        if (n == p) {
            throw new ParseException(400, "empty header field name");
        }
        int v = n + 1;
        while (v < cr && (buf[v] == ' ' || buf[v] == '\t')) {
            v++;
        }
        int e = cr;
        while (e > v && (buf[e - 1] == ' ' || buf[e - 1] == '\t')) {
            e--;
        }
        for (int i = v; i < e; i++) {
            int c = buf[i] & 0xFF;
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                throw new ParseException(400, "control character in header field "
                        + new String(buf, p, n - p, StandardCharsets.ISO_8859_1));
            }
        }
        int known = knownIndex(buf, p, n);
        String name;
        String value;
        if (known >= 0) {
            name = KNOWN[known];
            value = cachedValue(known, buf, v, e);
            if (head != null && known <= EXPECT) {
                interpret(known, value, head);
            }
        } else {
            name = new String(buf, p, n - p, StandardCharsets.ISO_8859_1);
            value = new String(buf, v, e - v, StandardCharsets.ISO_8859_1);
        }
        into.add(name, value);
    }

    private void interpret(int known, String value, RequestHead head) throws ParseException {
        switch (known) {
            case HOST -> {
                hostCount++;
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (c == ' ' || c == '\t' || c == '/' || c == '?' || c == '#' || c == '@') {
                        throw new ParseException(400, "malformed Host header");
                    }
                }
            }
            case CONTENT_LENGTH -> {
                long length = contentLength(value);
                if (head.contentLength != RequestHead.NO_LENGTH && head.contentLength != length) {
                    throw new ParseException(400, "differing Content-Length headers");
                }
                head.contentLength = length;
            }
            case TRANSFER_ENCODING -> codings(value);
            case CONNECTION -> {
                forEachToken(value, this::connectionToken);
            }
            case EXPECT -> {
                if (!value.equalsIgnoreCase("100-continue")) {
                    throw new ParseException(417, "unsupported expectation: " + value);
                }
                head.expectContinue = true;
            }
            default -> { }
        }
    }

    private void connectionToken(String value, int s, int e) {
        if (e - s == 5 && value.regionMatches(true, s, "close", 0, 5)) {
            connectionClose = true;
        } else if (e - s == 10 && value.regionMatches(true, s, "keep-alive", 0, 10)) {
            connectionKeepAlive = true;
        }
    }

    private void codings(String value) throws ParseException {
        transferEncoding = true;
        forEachToken(value, this::coding);
    }

    private void coding(String value, int s, int e) throws ParseException {
        if (e == s) {
            return;
        }
        if (chunkedFinal) {
            throw new ParseException(400, "chunked must be the final transfer coding, applied once");
        }
        if (e - s == 7 && value.regionMatches(true, s, "chunked", 0, 7)) {
            chunkedFinal = true;
        } else {
            unsupportedCoding = true;
        }
    }

    private void checkFraming(RequestHead head) throws ParseException {
        boolean http11 = head.version == HTTP_1_1;
        if (hostCount == 0 && http11) {
            throw new ParseException(400, "missing Host header");
        }
        if (hostCount > 1) {
            throw new ParseException(400, "duplicate Host header");
        }
        if (transferEncoding) {
            if (!http11) {
                throw new ParseException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (head.contentLength != RequestHead.NO_LENGTH) {
                throw new ParseException(400, "both Content-Length and Transfer-Encoding");
            }
            if (!chunkedFinal) {
                throw new ParseException(400, "chunked is not the final transfer coding");
            }
            if (unsupportedCoding) {
                throw new ParseException(501, "unsupported transfer coding");
            }
            head.chunked = true;
        }
        head.keepAlive = http11 ? !connectionClose : connectionKeepAlive && !connectionClose;
    }

    private static long contentLength(String value) throws ParseException {
        int n = value.length();
        if (n == 0 || n > 18) {
            throw new ParseException(400, "malformed Content-Length");
        }
        long length = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new ParseException(400, "malformed Content-Length");
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    @FunctionalInterface
    private interface TokenAction {
        void accept(String value, int start, int end) throws ParseException;
    }

    /** Calls {@code action} with each comma-separated element of {@code value}, OWS trimmed (possibly empty). */
    private static void forEachToken(String value, TokenAction action) throws ParseException {
        int n = value.length();
        int start = 0;
        while (start <= n) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            int s = start;
            int e = end;
            while (s < e && (value.charAt(s) == ' ' || value.charAt(s) == '\t')) {
                s++;
            }
            while (e > s && (value.charAt(e - 1) == ' ' || value.charAt(e - 1) == '\t')) {
                e--;
            }
            action.accept(value, s, e);
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
    }

    private static int knownIndex(byte[] buf, int from, int to) {
        int len = to - from;
        if (len >= KNOWN_BY_LENGTH.length) {
            return -1;
        }
        candidates:
        for (int id : KNOWN_BY_LENGTH[len]) {
            byte[] lower = KNOWN_LOWER[id];
            for (int i = 0; i < len; i++) {
                if ((buf[from + i] | 0x20) != lower[i]) {
                    continue candidates;
                }
            }
            return id;
        }
        return -1;
    }

    private String cachedValue(int known, byte[] buf, int from, int to) {
        String last = lastValue[known];
        if (last != null && sameBytes(last, buf, from, to)) {
            return last;
        }
        String value = new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
        lastValue[known] = value;
        return value;
    }

    private String target(byte[] buf, int from, int to) {
        String last = lastTarget;
        if (last != null && sameBytes(last, buf, from, to)) {
            return last;
        }
        String target = new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
        lastTarget = target;
        return target;
    }

    private static boolean sameBytes(String s, byte[] buf, int from, int to) {
        int n = to - from;
        if (s.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != (buf[from + i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    private static String method(byte[] buf, int from, int to) {
        for (String m : METHODS) {
            if (m.length() == to - from && is(buf, from, m)) {
                return m;
            }
        }
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static boolean is(byte[] buf, int from, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (buf[from + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int indexOf(byte[] buf, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
