package dev.weft.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

import dev.weft.http.codec.FieldValues;

/**
 * An ordered, case-insensitive multimap of header fields.
 *
 * <p>Stored as two parallel arrays rather than a hash map: a request carries a dozen fields or fewer, a linear scan
 * with an ASCII case-insensitive compare beats hashing at that size, and the arrays are reused across the requests
 * of one connection ({@link #clear()}). Names keep the case they were given; lookups ignore case. Not thread-safe.
 */
public final class Headers {
    private String[] names;
    private String[] values;
    private int size;

    public Headers() {
        this(16);
    }

    public Headers(int capacity) {
        names = new String[Math.max(capacity, 1)];
        values = new String[names.length];
    }

    /** A mutable copy of {@code other}. */
    public static Headers copyOf(Headers other) {
        Headers copy = new Headers(Math.max(other.size, 1));
        System.arraycopy(other.names, 0, copy.names, 0, other.size);
        System.arraycopy(other.values, 0, copy.values, 0, other.size);
        copy.size = other.size;
        return copy;
    }

    /** The first value of {@code name}, or null. */
    public String get(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : values[i];
    }

    /** Every value of {@code name}, in order; empty when absent. */
    public List<String> all(String name) {
        List<String> found = new ArrayList<>(2);
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            found.add(values[i]);
        }
        return found;
    }

    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /** Counts the fields named {@code name}. */
    public int count(String name) {
        int n = 0;
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            n++;
        }
        return n;
    }

    /** Appends a field, keeping any others of the same name. */
    public Headers add(String name, String value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
        return this;
    }

    /** Replaces every field named {@code name} with one field. */
    public Headers set(String name, String value) {
        int i = indexOf(name, 0);
        if (i < 0) {
            return add(name, value);
        }
        values[i] = value;
        removeFrom(name, i + 1);
        return this;
    }

    /** Removes every field named {@code name}; returns true if there was one. */
    public boolean remove(String name) {
        int before = size;
        removeFrom(name, 0);
        return size != before;
    }

    public void clear() {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The name of the {@code i}th field, as given. */
    public String name(int i) {
        checkIndex(i);
        return names[i];
    }

    /** The value of the {@code i}th field. */
    public String value(int i) {
        checkIndex(i);
        return values[i];
    }

    /** Calls {@code action} with each field in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    /**
     * True when a comma-separated value of {@code name} contains {@code token}, ignoring case, as for
     * {@code Connection: keep-alive, Upgrade}.
     */
    public boolean hasToken(String name, String token) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (FieldValues.hasToken(values[i], token)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(names[i]).append(": ").append(values[i]);
        }
        return sb.append('}').toString();
    }

    private int indexOf(String name, int from) {
        int n = name.length();
        for (int i = from; i < size; i++) {
            String candidate = names[i];
            if (candidate.length() == n && candidate.regionMatches(true, 0, name, 0, n)) {
                return i;
            }
        }
        return -1;
    }

    private void removeFrom(String name, int from) {
        int out = from;
        for (int i = from; i < size; i++) {
            String candidate = names[i];
            if (candidate.length() == name.length() && candidate.regionMatches(true, 0, name, 0, name.length())) {
                continue;
            }
            names[out] = names[i];
            values[out] = values[i];
            out++;
        }
        Arrays.fill(names, out, size, null);
        Arrays.fill(values, out, size, null);
        size = out;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("header index " + i + " out of " + size);
        }
    }
}
