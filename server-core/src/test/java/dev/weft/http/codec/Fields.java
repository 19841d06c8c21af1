package dev.weft.http.codec;

import java.util.ArrayList;
import java.util.List;

/** A {@link FieldSink} for tests: each field as {@code "Name: value"}, in order; the value Strings kept as given. */
final class Fields extends ArrayList<String> implements FieldSink {
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    @Override
    public void field(String name, String value) {
        add(name + ": " + value);
        names.add(name);
        values.add(value);
    }

    @Override
    public void clear() {
        super.clear();
        names.clear();
        values.clear();
    }

    /** The value of the first field named {@code name} (case ignored), the very String handed over, or null. */
    String value(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return values.get(i);
            }
        }
        return null;
    }

    List<String> names() {
        return names;
    }

    List<String> values() {
        return values;
    }
}
