package dev.weft.http.h2;

import java.util.Arrays;

/**
 * The HPACK dynamic table (RFC 7541 section 2.3.2 and 4): a first-in, first-out list of fields, the newest at
 * position 0, which is HPACK index 62. Its size is the sum of its entries' sizes, each {@code name + value + 32}
 * octets (section 4.1); adding an entry evicts the oldest ones until it fits, and an entry larger than the maximum
 * size empties the table (section 4.4).
 *
 * <p>A ring buffer of parallel name and value arrays: at the default 4,096 octets a table holds at most 128 entries
 * (and usually a dozen), so the encoder's look-ups scan it linearly, newest first, like {@code Headers} does, rather
 * than maintaining a hash index through every eviction. The decoder and the encoder each own one table.
 */
final class DynamicTable {
    /** The overhead added to each entry's size (RFC 7541 section 4.1). */
    static final int ENTRY_OVERHEAD = 32;

    private String[] names = new String[16];
    private String[] values = new String[16];
    /** Where the next entry goes; the newest is just before it. */
    private int next;
    private int length;
    private long size;
    private long maxSize;

    DynamicTable(long maxSize) {
        this.maxSize = maxSize;
    }

    /** The size of a field as an entry: its name and value in octets, plus 32. */
    static long entrySize(String name, String value) {
        return (long) name.length() + value.length() + ENTRY_OVERHEAD;
    }

    /** The number of entries. */
    int length() {
        return length;
    }

    /** The sum of the entries' sizes, at most {@link #maxSize()}. */
    long size() {
        return size;
    }

    long maxSize() {
        return maxSize;
    }

    /** The name at {@code position}: 0 is the newest entry, {@code length() - 1} the oldest. */
    String name(int position) {
        return names[slot(position)];
    }

    /** The value at {@code position}: 0 is the newest entry, {@code length() - 1} the oldest. */
    String value(int position) {
        return values[slot(position)];
    }

    private int slot(int position) {
        if (position < 0 || position >= length) {
            throw new IndexOutOfBoundsException(position);
        }
        return (next - 1 - position) & (names.length - 1);
    }

    /** Inserts a field as the newest entry, evicting old ones to make room (RFC 7541 section 4.4). */
    void add(String name, String value) {
        long entry = entrySize(name, value);
        if (entry > maxSize) {
            clear();
            return;
        }
        while (size + entry > maxSize) {
            evictOldest();
        }
        if (length == names.length) {
            grow();
        }
        names[next] = name;
        values[next] = value;
        next = (next + 1) & (names.length - 1);
        length++;
        size += entry;
    }

    /** Sets the maximum size, evicting the oldest entries until the table fits (RFC 7541 section 4.3). */
    void setMaxSize(long maxSize) {
        this.maxSize = maxSize;
        while (size > maxSize) {
            evictOldest();
        }
    }

    /** The position of the newest entry equal to {@code name} (ignoring ASCII case) and {@code value}, or -1. */
    int indexOf(String name, String value) {
        for (int position = 0; position < length; position++) {
            int slot = (next - 1 - position) & (names.length - 1);
            if (values[slot].equals(value) && AsciiCase.equalsIgnoreCase(names[slot], name)) {
                return position;
            }
        }
        return -1;
    }

    /** The position of the newest entry named {@code name} (ignoring ASCII case), or -1. */
    int indexOfName(String name) {
        for (int position = 0; position < length; position++) {
            if (AsciiCase.equalsIgnoreCase(names[(next - 1 - position) & (names.length - 1)], name)) {
                return position;
            }
        }
        return -1;
    }

    private void evictOldest() {
        int oldest = (next - length) & (names.length - 1);
        size -= entrySize(names[oldest], values[oldest]);
        names[oldest] = null;
        values[oldest] = null;
        length--;
    }

    private void clear() {
        Arrays.fill(names, null);
        Arrays.fill(values, null);
        next = 0;
        length = 0;
        size = 0;
    }

    private void grow() {
        int oldest = (next - length) & (names.length - 1);
        String[] n = new String[names.length * 2];
        String[] v = new String[names.length * 2];
        for (int i = 0; i < length; i++) {
            n[i] = names[(oldest + i) & (names.length - 1)];
            v[i] = values[(oldest + i) & (names.length - 1)];
        }
        names = n;
        values = v;
        next = length;
    }
}
