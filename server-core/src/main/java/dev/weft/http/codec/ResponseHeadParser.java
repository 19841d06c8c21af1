package dev.weft.http.codec;

import java.nio.charset.StandardCharsets;

/**
 * Parses a status line and header section (RFC 9112 sections 4 to 6) from bytes, for a client or a proxy reading a
 * server's response: the request parser's counterpart, with the same field rules ({@link FieldReader}) and the same
 * strictness, because a proxy that reads a response more loosely than the server meant it is where response
 * smuggling starts. A pure function of its input, no I/O.
 *
 * <p>Refused, with a {@link ParseException} whose status is 502 (what a proxy answers its own client): a status
 * line that does not parse (a version other than HTTP/1.0 or HTTP/1.1, a status code that is not three digits from
 * 100 to 599, a control character in the reason), a line not ended by CRLF, obs-fold, whitespace before a colon,
 * control characters in a field, both Content-Length and Transfer-Encoding, differing or malformed Content-Lengths
 * (a sign, a list, a space), Transfer-Encoding in HTTP/1.0, a transfer coding other than a single {@code chunked} (as
 * Go and nginx), and a head larger than the limit.
 *
 * <p>The body ({@link ResponseHead#framing()}): none for a response to HEAD and for 1xx, 204 and 304 whatever the
 * fields say; chunked; Content-Length bytes; else everything until the server closes. Empty lines before the status
 * line are not skipped: bytes left over after a response are an error on the connection, not padding.
 *
 * <p>An instance belongs to one connection: it keeps the last value of each well-known field, so that a keep-alive
 * upstream repeating {@code Content-Type: ...} costs no new String.
 */
public final class ResponseHeadParser {
    private static final int MALFORMED = 502;

    private final int maxHeadBytes;
    private final FieldReader fields = new FieldReader(MALFORMED, MALFORMED);

    /** @param maxHeadBytes the largest head, status line and final CRLF included */
    public ResponseHeadParser(int maxHeadBytes) {
        if (maxHeadBytes < 64) {
            throw new IllegalArgumentException("maxHeadBytes must be at least 64, was " + maxHeadBytes);
        }
        this.maxHeadBytes = maxHeadBytes;
    }

    /**
     * Parses the response head in {@code buf[from, to)}. Returns it, its fields handed to {@code fields}, or null
     * when more bytes are needed and the limit is not exceeded yet; then nothing was handed over.
     *
     * @param headRequest the response answers a HEAD request, so it has no body whatever its fields say
     * @throws ParseException (status 502) when the head is malformed or too large
     */
    public ResponseHead parse(byte[] buf, int from, int to, boolean headRequest, FieldSink fields)
            throws ParseException {
        int lineLimit = (int) Math.min(to, (long) from + maxHeadBytes);
        int lf = FieldReader.indexOf(buf, from, lineLimit, (byte) '\n');
        if (lf < 0) {
            if (to - from >= maxHeadBytes) {
                throw new ParseException(MALFORMED, "response head larger than " + maxHeadBytes + " bytes");
            }
            checkStatusLinePrefix(buf, from, to);
            return null;
        }
        if (lf == from || buf[lf - 1] != '\r') {
            throw malformed("status line not ended by CRLF");
        }
        int cr = lf - 1;
        // status-line = HTTP-version SP status-code SP [ reason-phrase ]; the last SP is optional in practice
        if (cr - from < 12 || !startsWithHttp1(buf, from) || buf[from + 8] != ' ') {
            throw malformed("status line does not parse: " + printable(buf, from, cr));
        }
        boolean http11 = buf[from + 7] == '1';
        int status = 0;
        for (int i = from + 9; i < from + 12; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                throw malformed("status code is not three digits: " + printable(buf, from, cr));
            }
            status = status * 10 + d;
        }
        if (status < 100 || status > 599) {
            throw malformed("status code out of range: " + status);
        }
        String reason = "";
        if (cr > from + 12) {
            if (buf[from + 12] != ' ') {
                throw malformed("status line does not parse: " + printable(buf, from, cr));
            }
            for (int i = from + 13; i < cr; i++) {
                int c = buf[i] & 0xFF;
                if ((c < 0x20 && c != '\t') || c == 0x7F) {
                    throw malformed("control character in the reason phrase");
                }
            }
            reason = new String(buf, from + 13, cr - from - 13, StandardCharsets.ISO_8859_1);
        }
        int end = this.fields.parse(buf, lf + 1, to, maxHeadBytes - (lf + 1 - from));
        if (end == FieldReader.INCOMPLETE) {
            return null;
        }
        ResponseHead head = framing(http11, status, reason, headRequest, end);
        this.fields.emit(fields);
        return head;
    }

    /** Reads the fields that frame the body (RFC 9112 section 6.3) and checks them against each other. */
    private ResponseHead framing(boolean http11, int status, String reason, boolean headRequest, int end)
            throws ParseException {
        FieldReader f = fields;
        long contentLength = -1;
        int transferEncodings = 0;
        boolean chunked = false;
        boolean close = false;
        boolean keepAliveToken = false;
        for (int i = 0; i < f.count(); i++) {
            String value = f.value(i);
            switch (f.known(i)) {
                case FieldReader.CONTENT_LENGTH -> {
                    long length = FieldReader.contentLength(value);
                    if (length < 0) {
                        throw malformed("malformed Content-Length: " + value);
                    }
                    if (contentLength >= 0 && contentLength != length) {
                        throw malformed("differing Content-Length fields");
                    }
                    contentLength = length;
                }
                case FieldReader.TRANSFER_ENCODING -> {
                    transferEncodings++;
                    chunked = value.equalsIgnoreCase("chunked");
                    if (!chunked || transferEncodings > 1) {
                        throw malformed("unsupported transfer coding: " + value);
                    }
                }
                case FieldReader.CONNECTION -> {
                    close |= FieldValues.hasToken(value, "close");
                    keepAliveToken |= FieldValues.hasToken(value, "keep-alive");
                }
                default -> { }
            }
        }
        if (chunked && contentLength >= 0) {
            throw malformed("both Content-Length and Transfer-Encoding");
        }
        if (chunked && !http11) {
            throw malformed("Transfer-Encoding in an HTTP/1.0 response");
        }
        boolean keepAlive = (http11 ? !close : keepAliveToken && !close) && status != 101;
        ResponseHead.Framing framing;
        if (headRequest || status < 200 || status == 204 || status == 304) {
            framing = ResponseHead.Framing.NONE;
        } else if (chunked) {
            framing = ResponseHead.Framing.CHUNKED;
        } else if (contentLength >= 0) {
            framing = ResponseHead.Framing.LENGTH;
        } else {
            framing = ResponseHead.Framing.UNTIL_CLOSE;
            keepAlive = false;
        }
        return new ResponseHead(http11, status, reason, framing, contentLength, keepAlive, end);
    }

    private static boolean startsWithHttp1(byte[] buf, int p) {
        return buf[p] == 'H' && buf[p + 1] == 'T' && buf[p + 2] == 'T' && buf[p + 3] == 'P' && buf[p + 4] == '/'
                && buf[p + 5] == '1' && buf[p + 6] == '.' && (buf[p + 7] == '1' || buf[p + 7] == '0');
    }

    /** Refuses an incomplete status line early when what has arrived already cannot start a valid one. */
    private static void checkStatusLinePrefix(byte[] buf, int from, int to) throws ParseException {
        byte[] prefix = {'H', 'T', 'T', 'P', '/', '1', '.'};
        for (int i = 0; i < prefix.length && from + i < to; i++) {
            if (buf[from + i] != prefix[i]) {
                throw malformed("status line does not parse: " + printable(buf, from, to));
            }
        }
    }

    private static ParseException malformed(String message) {
        return new ParseException(MALFORMED, message);
    }

    /** At most 64 bytes of the input, control characters escaped, for a message. */
    private static String printable(byte[] buf, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < Math.min(to, from + 64); i++) {
            int c = buf[i] & 0xFF;
            if (c < 0x20 || c >= 0x7F) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
