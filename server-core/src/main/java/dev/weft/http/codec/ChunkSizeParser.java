package dev.weft.http.codec;

/**
 * Parses the chunk-size line of a chunked body (RFC 9112 section 7.1): {@code 1*HEXDIG [ chunk-ext ] CRLF}.
 * Extensions are validated and ignored. A size of more than 15 hex digits (over 2^60 bytes) is refused as
 * malformed; the body-size limit is the body stream's concern.
 */
public final class ChunkSizeParser {
    /** The longest chunk-size line accepted, extensions included. */
    public static final int MAX_LINE = 4096;

    private long size;

    /** The size of the chunk whose line the last successful {@link #parse} read. */
    public long size() {
        return size;
    }

    /**
     * Parses a chunk-size line starting at {@code from}. Returns the index after its CRLF, or
     * {@link RequestHeadParser#INCOMPLETE} when {@code buf[from, to)} does not hold the whole line yet.
     */
    public int parse(byte[] buf, int from, int to) throws ParseException {
        int p = from;
        long value = 0;
        int digits = 0;
        while (p < to) {
            int d = hex(buf[p]);
            if (d < 0) {
                break;
            }
            if (++digits > 15) {
                throw new ParseException(400, "chunk size too large");
            }
            value = (value << 4) | d;
            p++;
        }
        if (p == to) {
            return incomplete(from, to);
        }
        if (digits == 0) {
            throw new ParseException(400, "malformed chunk size");
        }
        byte b = buf[p];
        if (b == ';' || b == ' ' || b == '\t') {
            // chunk-ext: BWS ";" BWS name [ BWS "=" BWS value ], repeated; checked for allowed bytes only
            boolean sawSemicolon = false;
            while (p < to && buf[p] != '\r') {
                int c = buf[p] & 0xFF;
                if (c == ';') {
                    sawSemicolon = true;
                } else if (c == '\n' || (c < 0x20 && c != '\t') || c == 0x7F) {
                    throw new ParseException(400, "malformed chunk extension");
                } else if (!sawSemicolon && c != ' ' && c != '\t') {
                    throw new ParseException(400, "malformed chunk size");
                }
                p++;
            }
            if (p == to) {
                return incomplete(from, to);
            }
        }
        if (buf[p] != '\r') {
            throw new ParseException(400, "malformed chunk size");
        }
        if (p + 1 == to) {
            return incomplete(from, to);
        }
        if (buf[p + 1] != '\n') {
            throw new ParseException(400, "chunk size line not ended by CRLF");
        }
        size = value;
        return p + 2;
    }

    private static int incomplete(int from, int to) throws ParseException {
        if (to - from > MAX_LINE) {
            throw new ParseException(400, "chunk size line too long");
        }
        return RequestHeadParser.INCOMPLETE;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
