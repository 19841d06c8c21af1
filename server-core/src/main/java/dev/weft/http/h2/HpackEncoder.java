package dev.weft.http.h2;

/**
 * Encodes response field blocks (RFC 7541): the connection's encoding context, its dynamic table mirroring the
 * peer's decoder. One instance per connection; blocks must be sent in the order they are encoded.
 *
 * <p>What it chooses, field by field:
 * <ul>
 *   <li>a field already in a table is sent as its index: {@code :status 200} is one octet (static index 8), and so
 *       is {@code content-type: text/plain} from the second response on;</li>
 *   <li>otherwise a literal, its name by index when a table has it (static first, as that index never moves), and
 *       added to the dynamic table, except {@code content-length}, {@code x-request-id}, {@code etag},
 *       {@code last-modified}, {@code age} and {@code content-range}, whose values change with
 *       every response and would only push out the fields that do repeat (content-type, server, date within its
 *       second);</li>
 *   <li>{@code authorization}, {@code proxy-authorization}, {@code cookie} and {@code set-cookie} are never indexed
 *       (the 0001 representation, section 6.2.3), as section 7.1.3 advises for values an attacker who shares the
 *       connection could recover by guessing against the table's size;</li>
 *   <li>each string Huffman-encoded when that is shorter (section 5.2);</li>
 *   <li>field names lower-cased (RFC 9113 section 8.2), and the connection-specific fields RFC 9113 section 8.2.2
 *       forbids (Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade) left out.</li>
 * </ul>
 *
 * <p>The table is at most {@code maxTableSize} octets whatever the peer allows, bounding the memory a connection
 * holds; whenever its maximum size changes (the peer's SETTINGS_HEADER_TABLE_SIZE makes it smaller, or larger up to
 * that bound), the next block starts with the dynamic table size updates of section 4.2: the smallest size since the
 * last block, then the final one.
 */
public final class HpackEncoder {
    // static table indexes of the names the encoder treats specially
    private static final int AUTHORIZATION = 23;
    private static final int CONTENT_LENGTH = 28;
    private static final int COOKIE = 32;
    private static final int PROXY_AUTHORIZATION = 49;
    private static final int SET_COOKIE = 55;
    private static final int AGE = 21;
    private static final int CONTENT_RANGE = 30;
    private static final int ETAG = 34;
    private static final int LAST_MODIFIED = 44;
    /** {@code :status} values other than the seven of the static table, made once. */
    private static final String[] STATUS_TEXT = new String[1000];

    private final DynamicTable table;
    private final long maxTableSize;
    /** Set when the table's maximum size changed since the last block: the next one starts with updates. */
    private boolean updatePending;
    private long smallestPending;
    private long pendingFinal;

    /**
     * @param maxTableSize the largest dynamic table this encoder keeps, in octets. When it is below 4,096, the
     *                     initial SETTINGS_HEADER_TABLE_SIZE (RFC 9113 section 6.5.2), the first block says so with a
     *                     size update, so that the peer's decoder keeps no more than this encoder does.
     */
    public HpackEncoder(int maxTableSize) {
        this.maxTableSize = maxTableSize;
        this.table = new DynamicTable(Settings.DEFAULT.headerTableSize());
        setPeerHeaderTableSize(Settings.DEFAULT.headerTableSize());
    }

    /**
     * Applies the peer's SETTINGS_HEADER_TABLE_SIZE. Call it when acknowledging the SETTINGS frame that carries it,
     * before encoding the next block: that block signals the change (RFC 9113 section 4.3.1).
     */
    public void setPeerHeaderTableSize(long headerTableSize) {
        long size = Math.min(maxTableSize, headerTableSize);
        if (!updatePending) {
            if (size == table.maxSize()) {
                return;
            }
            updatePending = true;
            smallestPending = size;
        }
        smallestPending = Math.min(smallestPending, size);
        pendingFinal = size;
    }

    /** The dynamic table, for tests. */
    DynamicTable table() {
        return table;
    }

    /**
     * Starts the field block of a response head in {@code out} with {@code :status}; the caller then appends the
     * response's fields in order with {@link #encodeField}. Fields are passed one by one, not as a collection type of
     * the server's, so that the codec depends on nothing outside this package.
     */
    public void startResponse(int status, FieldBlock out) {
        startBlock(out);
        encodeStatus(status, out);
    }

    /** Starts the field block of a trailer section in {@code out}; the caller then appends its fields. */
    public void startTrailers(FieldBlock out) {
        startBlock(out);
    }

    private void startBlock(FieldBlock out) {
        if (!updatePending) {
            return;
        }
        if (smallestPending < pendingFinal) {
            out.writeInteger(0x20, 5, smallestPending);
            table.setMaxSize(smallestPending);
        }
        out.writeInteger(0x20, 5, pendingFinal);
        table.setMaxSize(pendingFinal);
        updatePending = false;
    }

    private void encodeStatus(int status, FieldBlock out) {
        int index = switch (status) {
            case 200 -> 8;
            case 204 -> 9;
            case 206 -> 10;
            case 304 -> 11;
            case 400 -> 12;
            case 404 -> 13;
            case 500 -> 14;
            default -> 0;
        };
        if (index != 0) {
            out.writeInteger(0x80, 7, index);
            return;
        }
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status " + status + " is not three digits");
        }
        String text = STATUS_TEXT[status];
        if (text == null) {
            // a benign race: Strings are immutable, so another thread sees either null or a complete String
            text = Integer.toString(status);
            STATUS_TEXT[status] = text;
        }
        encodeLiteralOrIndex(":status", text, out);
    }

    /**
     * Appends one field's representation to the block started by {@link #startResponse} or {@link #startTrailers}.
     * A connection-specific field is left out.
     */
    public void encodeField(String name, String value, FieldBlock out) {
        if (!isConnectionSpecific(name)) {
            encodeLiteralOrIndex(name, value, out);
        }
    }

    private void encodeLiteralOrIndex(String name, String value, FieldBlock out) {
        int staticIndex = StaticTable.indexOfName(name);
        boolean sensitive = isSensitive(staticIndex);
        if (!sensitive) {
            int exact = table.indexOf(name, value);
            if (exact >= 0) {
                out.writeInteger(0x80, 7, StaticTable.LENGTH + 1 + exact);
                return;
            }
        }
        int nameIndex = staticIndex;
        String tableName = null;
        if (staticIndex != 0) {
            tableName = StaticTable.name(staticIndex);
        } else {
            int position = table.indexOfName(name);
            if (position >= 0) {
                nameIndex = StaticTable.LENGTH + 1 + position;
                tableName = table.name(position);
            }
        }
        boolean index = !sensitive && !changesPerResponse(staticIndex, name)
                && DynamicTable.entrySize(name, value) <= table.maxSize();
        if (sensitive) {
            out.writeInteger(0x10, 4, nameIndex);
        } else if (index) {
            out.writeInteger(0x40, 6, nameIndex);
        } else {
            out.writeInteger(0x00, 4, nameIndex);
        }
        if (nameIndex == 0) {
            tableName = AsciiCase.toLowerCase(name);
            out.writeString(tableName);
        }
        out.writeString(value);
        if (index) {
            table.add(tableName, value);
        }
    }

    /**
     * Fields whose value is new with almost every response: indexing them would only evict the fields that repeat
     * (content-type, server, date within its second), and make every response re-send and re-index those. Measured
     * on the shop, whose responses each carry a new X-Request-Id: indexing it kept the 4 KiB table churning, and
     * the encoder's table scans were the largest part of a response's CPU profile.
     */
    private static boolean changesPerResponse(int staticIndex, String name) {
        return switch (staticIndex) {
            case CONTENT_LENGTH, AGE, CONTENT_RANGE, ETAG, LAST_MODIFIED -> true;
            case 0 -> name.length() == 12 && AsciiCase.equalsIgnoreCase(name, "x-request-id");
            default -> false;
        };
    }

    private static boolean isSensitive(int staticIndex) {
        return staticIndex == AUTHORIZATION || staticIndex == PROXY_AUTHORIZATION || staticIndex == COOKIE
                || staticIndex == SET_COOKIE;
    }

    private static boolean isConnectionSpecific(String name) {
        return switch (name.length()) {
            case 7 -> AsciiCase.equalsIgnoreCase(name, "upgrade");
            case 10 -> AsciiCase.equalsIgnoreCase(name, "connection") || AsciiCase.equalsIgnoreCase(name, "keep-alive");
            case 16 -> AsciiCase.equalsIgnoreCase(name, "proxy-connection");
            case 17 -> AsciiCase.equalsIgnoreCase(name, "transfer-encoding");
            default -> false;
        };
    }
}
