package dev.weft.http.h2;

/**
 * The HPACK static table (RFC 7541 Appendix A): 61 entries at indexes 1 to 61, before the dynamic table's
 * (section 2.3.3).
 */
final class StaticTable {
    /** The number of entries; the dynamic table's first index is one more. */
    static final int LENGTH = 61;

    private static final String[] NAMES = new String[LENGTH + 1];
    private static final String[] VALUES = new String[LENGTH + 1];
    /**
     * The first index of each name, for the encoder: an open-addressing table keyed by the case-blind hash, so that
     * {@code Content-Type} is found without lowering it into a new String on every response.
     */
    private static final byte[] NAME_SLOTS = new byte[128];

    static {
        String[] table = {
            ":authority", "",
            ":method", "GET",
            ":method", "POST",
            ":path", "/",
            ":path", "/index.html",
            ":scheme", "http",
            ":scheme", "https",
            ":status", "200",
            ":status", "204",
            ":status", "206",
            ":status", "304",
            ":status", "400",
            ":status", "404",
            ":status", "500",
            "accept-charset", "",
            "accept-encoding", "gzip, deflate",
            "accept-language", "",
            "accept-ranges", "",
            "accept", "",
            "access-control-allow-origin", "",
            "age", "",
            "allow", "",
            "authorization", "",
            "cache-control", "",
            "content-disposition", "",
            "content-encoding", "",
            "content-language", "",
            "content-length", "",
            "content-location", "",
            "content-range", "",
            "content-type", "",
            "cookie", "",
            "date", "",
            "etag", "",
            "expect", "",
            "expires", "",
            "from", "",
            "host", "",
            "if-match", "",
            "if-modified-since", "",
            "if-none-match", "",
            "if-range", "",
            "if-unmodified-since", "",
            "last-modified", "",
            "link", "",
            "location", "",
            "max-forwards", "",
            "proxy-authenticate", "",
            "proxy-authorization", "",
            "range", "",
            "referer", "",
            "refresh", "",
            "retry-after", "",
            "server", "",
            "set-cookie", "",
            "strict-transport-security", "",
            "transfer-encoding", "",
            "user-agent", "",
            "vary", "",
            "via", "",
            "www-authenticate", "",
        };
        for (int i = 1; i <= LENGTH; i++) {
            NAMES[i] = table[2 * i - 2];
            VALUES[i] = table[2 * i - 1];
            if (indexOfName(NAMES[i]) == 0) {
                int slot = AsciiCase.hashIgnoreCase(NAMES[i]) & (NAME_SLOTS.length - 1);
                while (NAME_SLOTS[slot] != 0) {
                    slot = (slot + 1) & (NAME_SLOTS.length - 1);
                }
                NAME_SLOTS[slot] = (byte) i;
            }
        }
    }

    private StaticTable() {
    }

    /** The name at {@code index}, 1 to {@link #LENGTH}. */
    static String name(int index) {
        return NAMES[index];
    }

    /** The value at {@code index}, 1 to {@link #LENGTH}; empty for the entries that have only a name. */
    static String value(int index) {
        return VALUES[index];
    }

    /**
     * The first index of the entry named {@code name}, compared without regard to ASCII case, or 0 when there is
     * none.
     */
    static int indexOfName(String name) {
        int mask = NAME_SLOTS.length - 1;
        for (int slot = AsciiCase.hashIgnoreCase(name) & mask; NAME_SLOTS[slot] != 0; slot = (slot + 1) & mask) {
            int index = NAME_SLOTS[slot];
            if (AsciiCase.equalsIgnoreCase(NAMES[index], name)) {
                return index;
            }
        }
        return 0;
    }
}
