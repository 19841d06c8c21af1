package dev.weft.gateway.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import dev.weft.http.Headers;

/**
 * The buffered read side of one upstream connection: parses response heads and serves body bytes from the same
 * buffer, so bytes read ahead of a head are not lost. The buffer also bounds a response head (16 KiB).
 */
final class HttpInput {
    static final int BUFFER_SIZE = 16 * 1024;

    private final InputStream in;
    private final UpstreamConnection connection;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private int limit;
    private long received;

    HttpInput(InputStream in, UpstreamConnection connection) {
        this.in = in;
        this.connection = connection;
    }

    /** Bytes received on this connection so far; a reused connection that received nothing was stale. */
    long received() {
        return received;
    }

    /** Bytes already buffered, readable without blocking. */
    int buffered() {
        return limit - pos;
    }

    /**
     * Reads one response head, skipping interim 1xx responses other than 101.
     *
     * @throws EOFException if the connection ends before a complete head
     */
    ResponseHead readHead() throws IOException {
        while (true) {
            ResponseHead head = readOneHead();
            if (head.status() >= 200 || head.status() == 101) {
                return head;
            }
        }
    }

    private ResponseHead readOneHead() throws IOException {
        int end;
        int scanFrom = pos;
        while ((end = headEnd(scanFrom)) < 0) {
            scanFrom = Math.max(pos, limit - 3);
            if (pos > 0) {
                scanFrom -= pos;
                compact();
            }
            if (limit == buf.length) {
                throw new MalformedResponseException("upstream response head exceeds " + buf.length + " bytes");
            }
            if (fill() < 0) {
                throw new EOFException(limit == pos && received == 0
                        ? "upstream closed the connection before responding"
                        : "upstream closed the connection in the middle of the response head");
            }
        }
        int lineEnd = lineEnd(pos, end);
        int status = parseStatus(pos, lineEnd);
        boolean http11 = buf[pos + 7] == '1';
        String reason = lineEnd > pos + 13 ? text(pos + 13, lineEnd) : "";
        Headers headers = new Headers(12);
        String connection = null;
        String contentLength = null;
        int contentLengths = 0;
        String transferEncoding = null;
        int p = next(lineEnd);
        while (p < end) {
            int e = lineEnd(p, end);
            if (e == p) {
                break;
            }
            parseField(p, e, headers);
            String name = headers.name(headers.size() - 1);
            String value = headers.value(headers.size() - 1);
            if (name.equalsIgnoreCase("Content-Length")) {
                contentLength = value;
                contentLengths++;
            } else if (name.equalsIgnoreCase("Connection")) {
                connection = connection == null ? value : connection + ", " + value;
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                transferEncoding = transferEncoding == null ? value : transferEncoding + ", " + value;
            }
            p = next(e);
        }
        pos = end;
        return new ResponseHead(http11, status, reason, headers, connection, contentLength, contentLengths,
                transferEncoding);
    }

    /** The index just after the blank line ending a head that starts at {@code pos}, or -1. */
    private int headEnd(int from) {
        for (int i = Math.max(from, pos); i < limit; i++) {
            if (buf[i] == '\n') {
                if (i + 1 < limit && buf[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < limit && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** The end of the line starting at {@code from}, before any CR. */
    private int lineEnd(int from, int max) {
        int i = from;
        while (i < max && buf[i] != '\n') {
            i++;
        }
        return i > from && buf[i - 1] == '\r' ? i - 1 : i;
    }

    private int next(int lineEnd) {
        return buf[lineEnd] == '\r' ? lineEnd + 2 : lineEnd + 1;
    }

    /** Checks the status line and returns its code. */
    private int parseStatus(int from, int to) throws MalformedResponseException {
        // HTTP/1.1 200 OK
        if (to - from < 12 || buf[from] != 'H' || buf[from + 1] != 'T' || buf[from + 2] != 'T'
                || buf[from + 3] != 'P' || buf[from + 4] != '/' || buf[from + 5] != '1' || buf[from + 6] != '.'
                || buf[from + 8] != ' ') {
            throw new MalformedResponseException("bad upstream status line: " + text(from, Math.min(to, from + 64)));
        }
        int status = 0;
        for (int i = from + 9; i < from + 12; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                throw new MalformedResponseException("bad upstream status code: " + text(from, to));
            }
            status = status * 10 + d;
        }
        return status;
    }

    private void parseField(int from, int to, Headers headers) throws MalformedResponseException {
        if (buf[from] == ' ' || buf[from] == '\t') {
            throw new MalformedResponseException("upstream sent an obsolete folded header line");
        }
        int colon = from;
        while (colon < to && buf[colon] != ':') {
            colon++;
        }
        if (colon == to || colon == from) {
            throw new MalformedResponseException("bad upstream header line: " + text(from, to));
        }
        int vs = colon + 1;
        while (vs < to && (buf[vs] == ' ' || buf[vs] == '\t')) {
            vs++;
        }
        int ve = to;
        while (ve > vs && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t')) {
            ve--;
        }
        headers.add(text(from, colon), text(vs, ve));
    }

    private String text(int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Reads one line (without its line ending), for chunk sizes and trailers. */
    String readLine() throws IOException {
        int start = pos;
        while (true) {
            for (int i = start; i < limit; i++) {
                if (buf[i] == '\n') {
                    int e = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String line = text(pos, e);
                    pos = i + 1;
                    return line;
                }
            }
            compact();
            start = limit;
            if (limit == buf.length) {
                throw new MalformedResponseException("upstream chunk header line too long");
            }
            if (fill() < 0) {
                throw new EOFException("upstream closed the connection in the middle of a chunked body");
            }
        }
    }

    /** Writes {@code n} buffered bytes to {@code out} straight from the buffer; the caller checked they are there. */
    void transferBuffered(java.io.OutputStream out, int n) throws IOException {
        out.write(buf, pos, n);
        pos += n;
    }

    /** Reads up to {@code len} body bytes; -1 at the end of the stream. */
    int read(byte[] b, int off, int len) throws IOException {
        if (pos < limit) {
            int n = Math.min(len, limit - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throw connection.translate(e);
        }
        if (n > 0) {
            received += n;
        }
        return n;
    }

    private void compact() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
    }

    private int fill() throws IOException {
        int n;
        try {
            n = in.read(buf, limit, buf.length - limit);
        } catch (IOException e) {
            throw connection.translate(e);
        }
        if (n > 0) {
            limit += n;
            received += n;
        }
        return n;
    }
}
