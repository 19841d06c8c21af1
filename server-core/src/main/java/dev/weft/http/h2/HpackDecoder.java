package dev.weft.http.h2;

import java.nio.charset.StandardCharsets;

/**
 * Decodes field blocks (RFC 7541): the connection's decoding context, its dynamic table shared by every block the
 * peer sends, in order. A pure function of the bytes and the table; one instance per connection, not thread-safe.
 *
 * <p>Every malformed block is a {@link ConnectionError} of type COMPRESSION_ERROR (RFC 9113 section 4.3), with a
 * message that says what was wrong: an index of 0 or beyond the tables, an integer above 2^31-1 or longer than 6
 * octets, a string or integer cut off by the end of the block, a Huffman string with EOS or a bad padding, a dynamic
 * table size update after a field or above SETTINGS_HEADER_TABLE_SIZE, a missing size update after that setting was
 * reduced, and a string longer than {@code maxStringLength} octets once decoded.
 *
 * <p>The header list size (SETTINGS_MAX_HEADER_LIST_SIZE: each field's name and value octets plus 32) counts the
 * fields as decoded, so a block that refers to one large dynamic table entry many times (an HPACK bomb: a 4 KiB
 * entry, then a one-octet reference to it per field) reaches the limit after a few fields, whatever its own size.
 * From that field on, decoding goes on to keep the table in step but delivers nothing more, and {@link #decode}
 * returns false: the request is answered 431 (RFC 9113 section 10.5.1) and the connection carries on. The cost of a
 * block is linear in its size, which the frame layer bounds.
 */
public final class HpackDecoder {
    private final DynamicTable table;
    private final long maxHeaderListSize;
    private final int maxStringLength;
    /** The largest size a dynamic table size update may set: our acknowledged SETTINGS_HEADER_TABLE_SIZE. */
    private long tableSizeLimit;
    /** Set when that limit was reduced below the table's maximum size: the next block must start with an update. */
    private boolean sizeUpdateRequired;
    private byte[] scratch = new byte[64];

    private byte[] in;
    private int pos;
    private int end;

    /**
     * @param headerTableSize   SETTINGS_HEADER_TABLE_SIZE as this server sends it (4,096 by default)
     * @param maxHeaderListSize the largest header list delivered, as SETTINGS_MAX_HEADER_LIST_SIZE counts it
     * @param maxStringLength   the longest name or value accepted, in octets once decoded
     */
    public HpackDecoder(int headerTableSize, long maxHeaderListSize, int maxStringLength) {
        this.table = new DynamicTable(headerTableSize);
        this.tableSizeLimit = headerTableSize;
        this.maxHeaderListSize = maxHeaderListSize;
        this.maxStringLength = maxStringLength;
    }

    /**
     * Applies a new SETTINGS_HEADER_TABLE_SIZE once the peer has acknowledged it. When it is below the table's
     * current maximum size, the next block must start with a dynamic table size update that fits it (RFC 9113
     * section 4.3.1).
     */
    void setHeaderTableSize(long headerTableSize) {
        if (headerTableSize < table.maxSize()) {
            sizeUpdateRequired = true;
        }
        tableSizeLimit = headerTableSize;
    }

    /** The dynamic table, for tests. */
    DynamicTable table() {
        return table;
    }

    /**
     * Decodes the field block {@code block[from, to)}, delivering its fields to {@code sink} in order. Returns true
     * when every field was delivered, false when the header list exceeded the maximum size: the fields from the one
     * that crossed the limit on were decoded but not delivered.
     *
     * @throws ConnectionError COMPRESSION_ERROR when the block is malformed; the table is then unusable, as is the
     *                         connection
     */
    public boolean decode(byte[] block, int from, int to, FieldSink sink) throws ConnectionError {
        in = block;
        pos = from;
        end = to;
        long listSize = 0;
        boolean delivering = true;
        boolean fieldSeen = false;
        try {
            while (pos < end) {
                int b = in[pos] & 0xFF;
                if ((b & 0xE0) == 0x20) {
                    sizeUpdate(fieldSeen);
                    continue;
                }
                if (sizeUpdateRequired) {
                    throw error("the field block does not start with the dynamic table size update required by the"
                            + " reduced SETTINGS_HEADER_TABLE_SIZE");
                }
                fieldSeen = true;
                String name;
                String value;
                if (b >= 0x80) {
                    // indexed field (RFC 7541 section 6.1)
                    int index = readInteger(7);
                    if (index == 0) {
                        throw error("indexed field with index 0");
                    }
                    name = nameAt(index);
                    value = valueAt(index);
                } else if (b >= 0x40) {
                    // literal with incremental indexing (section 6.2.1)
                    name = literalName(6);
                    value = readString();
                    table.add(name, value);
                } else {
                    // literal without indexing (0000, section 6.2.2) or never indexed (0001, section 6.2.3)
                    name = literalName(4);
                    value = readString();
                }
                listSize += DynamicTable.entrySize(name, value);
                if (listSize > maxHeaderListSize) {
                    delivering = false;
                }
                if (delivering) {
                    sink.field(name, value);
                }
            }
            if (sizeUpdateRequired) {
                throw error("the field block does not start with the dynamic table size update required by the"
                        + " reduced SETTINGS_HEADER_TABLE_SIZE");
            }
            return delivering;
        } finally {
            in = null;
        }
    }

    /** A dynamic table size update (RFC 7541 section 6.3), allowed only before the block's first field (4.2). */
    private void sizeUpdate(boolean fieldSeen) throws ConnectionError {
        if (fieldSeen) {
            throw error("dynamic table size update after a field");
        }
        int size = readInteger(5);
        if (size > tableSizeLimit) {
            throw error("dynamic table size update to " + size + " octets, above SETTINGS_HEADER_TABLE_SIZE "
                    + tableSizeLimit);
        }
        table.setMaxSize(size);
        sizeUpdateRequired = false;
    }

    /** The name of a literal representation: a new name when the index is 0, else the indexed entry's name. */
    private String literalName(int prefixBits) throws ConnectionError {
        int index = readInteger(prefixBits);
        return index == 0 ? readString() : nameAt(index);
    }

    private String nameAt(int index) throws ConnectionError {
        if (index <= StaticTable.LENGTH) {
            return StaticTable.name(index);
        }
        return table.name(dynamicPosition(index));
    }

    private String valueAt(int index) throws ConnectionError {
        if (index <= StaticTable.LENGTH) {
            return StaticTable.value(index);
        }
        return table.value(dynamicPosition(index));
    }

    private int dynamicPosition(int index) throws ConnectionError {
        int position = index - StaticTable.LENGTH - 1;
        if (position >= table.length()) {
            throw error("index " + index + " beyond the " + (StaticTable.LENGTH + table.length())
                    + " entries of the static and dynamic tables");
        }
        return position;
    }

    /**
     * An integer with a {@code prefixBits}-bit prefix (RFC 7541 section 5.1). Limited to 2^31-1 and to 5 octets
     * after the prefix, as section 5.1 requires some limit on both.
     */
    private int readInteger(int prefixBits) throws ConnectionError {
        int max = (1 << prefixBits) - 1;
        int value = in[pos++] & max;
        if (value < max) {
            return value;
        }
        long v = value;
        for (int shift = 0; ; shift += 7) {
            if (pos == end) {
                throw error("the field block ends inside an integer");
            }
            int b = in[pos++];
            v += (long) (b & 0x7F) << shift;
            if (v > Integer.MAX_VALUE) {
                throw error("integer larger than 2^31-1");
            }
            if ((b & 0x80) == 0) {
                return (int) v;
            }
            if (shift == 28) {
                throw error("integer encoded in more than 6 octets");
            }
        }
    }

    /** A string literal (RFC 7541 section 5.2), as Latin-1: one char per octet. */
    private String readString() throws ConnectionError {
        if (pos == end) {
            throw error("the field block ends before a string literal");
        }
        boolean huffman = (in[pos] & 0x80) != 0;
        int length = readInteger(7);
        if (length > end - pos) {
            throw error("string literal of " + length + " octets runs past the end of the field block");
        }
        String s;
        if (huffman) {
            int room = (int) Math.min(maxStringLength, length * 8L / 5);
            if (scratch.length < room) {
                scratch = new byte[(int) Math.min(maxStringLength, Math.max(room, scratch.length * 2L))];
            }
            int n = Huffman.decode(in, pos, pos + length, scratch, maxStringLength);
            s = new String(scratch, 0, n, StandardCharsets.ISO_8859_1);
        } else {
            if (length > maxStringLength) {
                throw error("string literal longer than " + maxStringLength + " octets");
            }
            s = new String(in, pos, length, StandardCharsets.ISO_8859_1);
        }
        pos += length;
        return s;
    }

    private static ConnectionError error(String message) {
        return new ConnectionError(ErrorCode.COMPRESSION_ERROR, message);
    }
}
