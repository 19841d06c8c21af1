package dev.weft.http.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The field lines of a header or trailer section (RFC 9112 section 5), parsed strictly and held until the whole
 * section has arrived: every line ended by CRLF, no obs-fold, no whitespace before the colon, a token for a name,
 * no control character but HTAB in a value, at most {@code maxBytes} bytes with the final CRLF. The same rules serve
 * requests, responses and trailers; only the status of the {@link ParseException} differs with the direction.
 *
 * <p>Well-known names are matched against constants without allocating and returned as those constants, and the
 * last value of each is kept, so that a keep-alive peer repeating {@code Host: ...} costs no new String. One
 * instance per parser, and a parser per connection.
 */
final class FieldReader {
    /** Returned when the bytes end before the section does. */
    static final int INCOMPLETE = -1;

    static final boolean[] TCHAR = new boolean[256];

    /** Eight bytes of a byte array as one long, for {@link #indexOf}. */
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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

    static final int HOST = 0;
    static final int CONTENT_LENGTH = 1;
    static final int TRANSFER_ENCODING = 2;
    static final int CONNECTION = 3;
    static final int EXPECT = 4;
    /** Well-known field names; the first five are the ones the parsers interpret, in the order of the constants. */
    private static final String[] KNOWN = {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Expect",
        "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Accept-Charset", "Content-Type", "Cookie",
        "Authorization", "Cache-Control", "Pragma", "Origin", "Referer", "If-None-Match", "If-Modified-Since",
        "If-Match", "Range", "Upgrade", "TE", "Trailer", "Keep-Alive", "Content-Encoding", "X-Forwarded-For",
        "X-Forwarded-Proto", "X-Forwarded-Host", "X-Real-IP", "X-Request-Id", "Traceparent", "DNT",
        "Upgrade-Insecure-Requests", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-Dest", "Sec-Fetch-User",
        "Date", "Server", "Vary", "ETag", "Last-Modified", "Expires", "Location", "Set-Cookie", "Age",
    };
    private static final byte[][] KNOWN_LOWER = new byte[KNOWN.length][];
    private static final int[][] KNOWN_BY_LENGTH;

    static {
        int max = 0;
        for (int i = 0; i < KNOWN.length; i++) {
            KNOWN_LOWER[i] = KNOWN[i].toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
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

    private final int badStatus;
    private final int tooLargeStatus;
    private final String[] lastValue = new String[KNOWN.length];
    private String[] names = new String[8];
    private String[] values = new String[8];
    private int[] known = new int[8];
    private int count;

    /**
     * @param badStatus      the status of a malformed section: 400 for a request, 502 for a response
     * @param tooLargeStatus the status of a section over its limit: 431 for a request, 502 for a response
     */
    FieldReader(int badStatus, int tooLargeStatus) {
        this.badStatus = badStatus;
        this.tooLargeStatus = tooLargeStatus;
    }

    ParseException bad(String message) {
        return new ParseException(badStatus, message);
    }

    /**
     * Parses the field lines at {@code buf[start, to)} up to and including the empty line that ends the section.
     * Returns the index after that line, or {@link #INCOMPLETE} when more bytes are needed and the section is still
     * within {@code maxBytes}. What the fields were is then available by index until the next call.
     */
    int parse(byte[] buf, int start, int to, int maxBytes) throws ParseException {
        count = 0;
        int limit = (int) Math.min(to, (long) start + maxBytes);
        int p = start;
        while (true) {
            if (p >= to) {
                return incomplete(start, to, maxBytes);
            }
            byte b = buf[p];
            if (b == '\r') {
                if (p + 1 >= to) {
                    return incomplete(start, to, maxBytes);
                }
                if (buf[p + 1] != '\n') {
                    throw bad("header section not ended by CRLF");
                }
                if (p + 2 - start > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                return p + 2;
            }
            if (b == ' ' || b == '\t') {
                throw bad("obsolete line folding in header section");
            }
            int lf = indexOf(buf, p, limit, (byte) '\n');
            if (lf < 0) {
                checkPrefix(buf, p, limit);
                return incomplete(start, to, maxBytes);
            }
            line(buf, p, lf);
            p = lf + 1;
        }
    }

    int count() {
        return count;
    }

    String name(int i) {
        return names[i];
    }

    String value(int i) {
        return values[i];
    }

    /** The well-known id of field {@code i} ({@link #HOST}, ...), or -1. */
    int known(int i) {
        return known[i];
    }

    /** Hands the fields of the last complete section to {@code sink}, in order. */
    void emit(FieldSink sink) {
        for (int i = 0; i < count; i++) {
            sink.field(names[i], values[i]);
        }
    }

    private int incomplete(int start, int to, int maxBytes) throws ParseException {
        if (to - start >= maxBytes) {
            throw tooLarge(maxBytes);
        }
        return INCOMPLETE;
    }

    private ParseException tooLarge(int maxBytes) {
        return new ParseException(tooLargeStatus, "header section larger than " + maxBytes + " bytes");
    }

    /** Refuses a partial field line whose name is already malformed. */
    private void checkPrefix(byte[] buf, int p, int to) throws ParseException {
        int n = p;
        while (n < to && TCHAR[buf[n] & 0xFF]) {
            n++;
        }
        if (n < to && buf[n] != ':') {
            throw nameError(buf[n]);
        }
    }

    private ParseException nameError(byte c) {
        if (c == ' ' || c == '\t') {
            return bad("whitespace before the colon of a header field");
        }
        if (c == '\r' || c == '\n') {
            return bad("header line without a colon");
        }
        return bad("invalid character in a header field name");
    }

    private void line(byte[] buf, int p, int lf) throws ParseException {
        int cr = lf - 1;
        if (buf[cr] != '\r') {
            throw bad("header line not ended by CRLF");
        }
        int n = p;
        while (n < cr && TCHAR[buf[n] & 0xFF]) {
            n++;
        }
        if (n == cr || buf[n] != ':') {
            throw nameError(buf[n]);
        }
        if (n == p) {
            throw bad("empty header field name");
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
                throw bad("control character in header field "
                        + new String(buf, p, n - p, StandardCharsets.ISO_8859_1));
            }
        }
        int id = knownIndex(buf, p, n);
        if (count == names.length) {
            names = Arrays.copyOf(names, count * 2);
            values = Arrays.copyOf(values, count * 2);
            known = Arrays.copyOf(known, count * 2);
        }
        if (id >= 0) {
            names[count] = KNOWN[id];
            values[count] = cachedValue(id, buf, v, e);
        } else {
            names[count] = new String(buf, p, n - p, StandardCharsets.ISO_8859_1);
            values[count] = new String(buf, v, e - v, StandardCharsets.ISO_8859_1);
        }
        known[count] = id;
        count++;
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

    private String cachedValue(int id, byte[] buf, int from, int to) {
        String last = lastValue[id];
        if (last != null && sameBytes(last, buf, from, to)) {
            return last;
        }
        String value = new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
        lastValue[id] = value;
        return value;
    }

    static boolean sameBytes(String s, byte[] buf, int from, int to) {
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

    /**
     * The index of the first {@code b} in {@code buf[from, to)}, or -1. Eight bytes at a time (SWAR: a word with
     * {@code b} in every byte, XORed with eight input bytes, has a zero byte where they match, which the classic
     * {@code (x - 0x01..) & ~x & 0x80..} test finds), then byte by byte for the tail. Every header line of every
     * request and response goes through here, and this is where freshly read bytes are first touched: the byte loop
     * was half of the response head parser's samples in the gateway's profile.
     */
    static int indexOf(byte[] buf, int from, int to, byte b) {
        int i = from;
        if (to - from >= Long.BYTES) {
            long pattern = (b & 0xFFL) * 0x0101010101010101L;
            for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
                long x = (long) LONGS.get(buf, i) ^ pattern;
                long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
                if (found != 0) {
                    // little-endian: the lowest set marker is the first match (borrows only run upwards)
                    return i + (Long.numberOfTrailingZeros(found) >>> 3);
                }
            }
        }
        for (; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** A Content-Length value (1 to 18 digits, nothing else: no sign, no list, no space), or -1 when malformed. */
    static long contentLength(String value) {
        int n = value.length();
        if (n == 0 || n > 18) {
            return -1;
        }
        long length = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

}
