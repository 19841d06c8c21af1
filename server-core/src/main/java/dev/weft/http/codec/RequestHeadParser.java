package dev.weft.http.codec;

import java.nio.charset.StandardCharsets;

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
    /** Methods returned as these constants, so that the repeated requests of a connection allocate none. */
    private static final String[] METHODS = {"GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
        "CONNECT"};

    private final int maxRequestLineBytes;
    private final int maxHeaderBytes;
    private final FieldReader fields = new FieldReader(400, 431);
    private String lastTarget;

    /**
     * @param maxRequestLineBytes the longest request line, CRLF excluded (414 beyond)
     * @param maxHeaderBytes      the largest header section, final CRLF included (431 beyond)
     */
    public RequestHeadParser(int maxRequestLineBytes, int maxHeaderBytes) {
        this.maxRequestLineBytes = maxRequestLineBytes;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /**
     * Parses the request head in {@code buf[from, to)}. Returns it, its fields handed to {@code fields}, or null
     * when more bytes are needed (and the limits are not exceeded yet); then nothing was handed over. Empty lines
     * before the request line are skipped, as RFC 9112 section 2.2 advises.
     *
     * @throws ParseException with the status to answer when the head is malformed or too large
     */
    public RequestHead parse(byte[] buf, int from, int to, FieldSink fields) throws ParseException {
        int p = from;
        while (p + 1 < to && buf[p] == '\r' && buf[p + 1] == '\n') {
            p += 2;
            if (p - from > maxRequestLineBytes) {
                throw new ParseException(400, "too many empty lines before the request line");
            }
        }
        int lineLimit = (int) Math.min(to, (long) p + maxRequestLineBytes + 2);
        int lf = FieldReader.indexOf(buf, p, lineLimit, (byte) '\n');
        if (lf < 0) {
            if (to - p > maxRequestLineBytes + 1) {
                throw new ParseException(414, "request line longer than " + maxRequestLineBytes + " bytes");
            }
            checkRequestLinePrefix(buf, p, to);
            return null;
        }
        if (lf == p || buf[lf - 1] != '\r') {
            throw new ParseException(400, "request line not ended by CRLF");
        }
        int cr = lf - 1;
        if (cr - p > maxRequestLineBytes) {
            throw new ParseException(414, "request line longer than " + maxRequestLineBytes + " bytes");
        }

        // request-line = method SP request-target SP HTTP-version
        int m = p;
        while (m < cr && FieldReader.TCHAR[buf[m] & 0xFF]) {
            m++;
        }
        if (m == p || m == cr || buf[m] != ' ') {
            throw new ParseException(400, "malformed request line: bad method");
        }
        String method = method(buf, p, m);
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
        boolean http11;
        if (buf[v + 5] == '1' && buf[v + 7] == '1') {
            http11 = true;
        } else if (buf[v + 5] == '1' && buf[v + 7] == '0') {
            http11 = false;
        } else {
            throw new ParseException(505, "HTTP version " + (char) buf[v + 5] + "." + (char) buf[v + 7]
                    + " is not supported");
        }
        if (method.equals("CONNECT")) {
            throw new ParseException(501, "CONNECT is not supported");
        }
        byte first = buf[t];
        if (first == '*') {
            if (te - t != 1 || !method.equals("OPTIONS")) {
                throw new ParseException(400, "asterisk-form target is only allowed with OPTIONS");
            }
        } else if (first != '/') {
            int authority = schemeEnd(buf, t, te);
            if (authority < 0 || authority == te || buf[authority] == '/') {
                throw new ParseException(400, "malformed request target");
            }
        }
        String target = target(buf, t, te);

        int end = this.fields.parse(buf, lf + 1, to, maxHeaderBytes);
        if (end == FieldReader.INCOMPLETE) {
            return null;
        }
        RequestHead head = framing(method, target, http11, end);
        this.fields.emit(fields);
        return head;
    }

    /** Reads the fields that frame the request (RFC 9112 section 6) and checks them against each other. */
    private RequestHead framing(String method, String target, boolean http11, int end) throws ParseException {
        FieldReader f = fields;
        int hosts = 0;
        String host = null;
        long contentLength = RequestHead.NO_LENGTH;
        boolean transferEncoding = false;
        boolean expectContinue = false;
        Codings codings = null;
        boolean close = false;
        boolean keepAliveToken = false;
        for (int i = 0; i < f.count(); i++) {
            String value = f.value(i);
            switch (f.known(i)) {
                case FieldReader.HOST -> {
                    hosts++;
                    host = value;
                    for (int c = 0; c < value.length(); c++) {
                        char ch = value.charAt(c);
                        if (ch == ' ' || ch == '\t' || ch == '/' || ch == '?' || ch == '#' || ch == '@') {
                            throw new ParseException(400, "malformed Host header");
                        }
                    }
                }
                case FieldReader.CONTENT_LENGTH -> {
                    long length = FieldReader.contentLength(value);
                    if (length < 0) {
                        throw new ParseException(400, "malformed Content-Length");
                    }
                    if (contentLength != RequestHead.NO_LENGTH && contentLength != length) {
                        throw new ParseException(400, "differing Content-Length headers");
                    }
                    contentLength = length;
                }
                case FieldReader.TRANSFER_ENCODING -> {
                    transferEncoding = true;
                    if (codings == null) {
                        codings = new Codings();
                    }
                    FieldValues.forEachToken(value, codings);
                }
                case FieldReader.CONNECTION -> {
                    close |= FieldValues.hasToken(value, "close");
                    keepAliveToken |= FieldValues.hasToken(value, "keep-alive");
                }
                case FieldReader.EXPECT -> {
                    if (!value.equalsIgnoreCase("100-continue")) {
                        throw new ParseException(417, "unsupported expectation: " + value);
                    }
                    expectContinue = true;
                }
                default -> { }
            }
        }
        if (hosts == 0 && http11) {
            throw new ParseException(400, "missing Host header");
        }
        if (hosts > 1) {
            throw new ParseException(400, "duplicate Host header");
        }
        boolean chunked = false;
        if (transferEncoding) {
            if (!http11) {
                throw new ParseException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (contentLength != RequestHead.NO_LENGTH) {
                throw new ParseException(400, "both Content-Length and Transfer-Encoding");
            }
            if (!codings.chunkedFinal) {
                throw new ParseException(400, "chunked is not the final transfer coding");
            }
            if (codings.unsupported) {
                throw new ParseException(501, "unsupported transfer coding");
            }
            chunked = true;
        }
        boolean keepAlive = http11 ? !close : keepAliveToken && !close;
        return new RequestHead(method, target, http11, host, contentLength, chunked, keepAlive, expectContinue, end);
    }

    /** The transfer codings of a request: chunked must be the last, applied once; others are not supported. */
    private static final class Codings implements FieldValues.TokenAction {
        boolean chunkedFinal;
        boolean unsupported;

        @Override
        public void accept(String value, int s, int e) throws ParseException {
            if (e == s) {
                return;
            }
            if (chunkedFinal) {
                throw new ParseException(400, "chunked must be the final transfer coding, applied once");
            }
            if (FieldValues.tokenIs(value, s, e, "chunked")) {
                chunkedFinal = true;
            } else {
                unsupported = true;
            }
        }
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
        while (m < to && FieldReader.TCHAR[buf[m] & 0xFF]) {
            m++;
        }
        if (m < to && buf[m] != ' ' && buf[m] != '\r') {
            throw new ParseException(400, "malformed request line: bad method");
        }
    }

    private String target(byte[] buf, int from, int to) {
        String last = lastTarget;
        if (last != null && FieldReader.sameBytes(last, buf, from, to)) {
            return last;
        }
        String target = new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
        lastTarget = target;
        return target;
    }

    private static String method(byte[] buf, int from, int to) {
        for (String m : METHODS) {
            if (FieldReader.sameBytes(m, buf, from, to)) {
                return m;
            }
        }
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }
}
